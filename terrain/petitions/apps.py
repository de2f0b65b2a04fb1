from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "terrain.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from terrain.petitions.sections import PETITIONS
        from terrain.public import registry

        registry.register(PETITIONS)
