from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "terrain.feed"
    label = "feed"
    verbose_name = _("Activity feed")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from terrain.core.menu import register_fact
        from terrain.feed.selectors import UNREAD_SQL

        register_fact("unread", UNREAD_SQL)
        # Every app's kinds of feed items (``feed.items``), registered by its ``feed_items`` module.
        autodiscover_modules("feed_items")
