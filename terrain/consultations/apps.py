from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "terrain.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from terrain.consultations.sections import CONSULTATIONS
        from terrain.public import registry

        registry.register(CONSULTATIONS)
