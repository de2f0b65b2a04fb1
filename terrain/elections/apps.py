from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "terrain.elections"
    label = "elections"
    verbose_name = _("Professional elections")

    def ready(self) -> None:
        from terrain.elections.sections import ELECTIONS
        from terrain.public import registry

        registry.register(ELECTIONS)
