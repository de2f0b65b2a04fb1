from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    name = "terrain.mobilisation"
    label = "mobilisation"
    verbose_name = _("Mobilisation events")

    def ready(self) -> None:
        from terrain.mobilisation.sections import AGENDA
        from terrain.public import registry

        registry.register(AGENDA)
