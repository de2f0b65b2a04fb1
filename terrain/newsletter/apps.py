from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "terrain.newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from terrain.networks import registry
        from terrain.newsletter.channels.feed import RssConnector
        from terrain.newsletter.channels.newsletter import NewsletterConnector

        registry.register(NewsletterConnector)
        registry.register(RssConnector)
