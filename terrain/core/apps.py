from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "terrain.core"
    label = "core"
    verbose_name = "Terrain"

    def ready(self):
        from terrain.lib import postgres

        postgres.connect()
