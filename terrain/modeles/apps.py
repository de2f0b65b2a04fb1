from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelesConfig(AppConfig):
    name = "terrain.modeles"
    label = "modeles"
    verbose_name = _("Fill-in templates")
