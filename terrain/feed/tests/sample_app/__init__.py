"""A small app that puts its own kind of item in the feed, as any app would (``feed.items``).

Installed by the tests that need it (``test_item_kinds``). Its kind points at a cooperative
(a table that exists already): "the cooperative was renamed".
"""
