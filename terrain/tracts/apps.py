from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TractsConfig(AppConfig):
    name = "terrain.tracts"
    label = "tracts"
    verbose_name = _("Tracts")
