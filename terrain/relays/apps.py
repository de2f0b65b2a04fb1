from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelaysConfig(AppConfig):
    name = "terrain.relays"
    verbose_name = _("Militant relays")

    def ready(self) -> None:
        from terrain.relays.sharing import register_share_links

        register_share_links()
