from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "terrain.cooperatives"
    label = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from terrain.accounts.services import invitation_acceptance_step
        from terrain.cooperatives.services import invitation_accepted

        invitation_acceptance_step(invitation_accepted)
        # Every app's tools (``cooperatives.tools``), registered by its ``tools`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tools")
