from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration data, the benchmark dataset and the local sandbox of the networks.

    The top floor of the house: it imports every app and no app imports it, so it
    comes last in ``INSTALLED_APPS``.
    """

    name = "terrain.demo"
    label = "demo"
    verbose_name = "Terrain demo"
