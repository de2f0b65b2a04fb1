from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructuresConfig(AppConfig):
    name = "terrain.structures"
    label = "structures"
    verbose_name = _("Structures")

    def ready(self) -> None:
        from terrain.accounts.services import invitation_acceptance_step
        from terrain.structures.services import invitation_accepted

        invitation_acceptance_step(invitation_accepted)
