from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachConfig(AppConfig):
    name = "terrain.coach"
    label = "coach"
    verbose_name = _("Writing coach")
