from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtelierConfig(AppConfig):
    name = "terrain.atelier"
    verbose_name = _("Communication workshop")

    def ready(self):
        from terrain.atelier.selectors_plan import WORKSHOP_ROLE_SQL
        from terrain.core.menu import register_fact

        register_fact("workshop_role", WORKSHOP_ROLE_SQL)
