"""Demonstration data and the confederation-scale benchmark dataset.

- ``world.build_demo_world`` builds a small, realistic French world through
  the real services (``manage.py demo``).
- ``dataset.generate`` writes a confederation-scale dataset in bulk, row for
  row what the services would have written (``manage.py generate_dataset``).
"""
