from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdhesionsConfig(AppConfig):
    name = "terrain.adhesions"
    label = "adhesions"
    verbose_name = _("Join requests")

    def ready(self) -> None:
        from terrain.adhesions.sections import JOIN
        from terrain.public import registry

        registry.register(JOIN)
