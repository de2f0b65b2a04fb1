from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "terrain.public"
    label = "public"
    verbose_name = _("Public sites")

    def ready(self) -> None:
        from terrain.networks import registry as connectors
        from terrain.public import registry
        from terrain.public.channel import SiteConnector
        from terrain.public.documents import DOCUMENTS
        from terrain.public.sections import NEWS

        connectors.register(SiteConnector)
        registry.register(NEWS)
        registry.register(DOCUMENTS)
