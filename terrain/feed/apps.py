from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "terrain.feed"
    label = "feed"
    verbose_name = _("Activity feed")

    def ready(self):
        from terrain.core.menu import register_fact
        from terrain.feed.selectors import UNREAD_SQL

        register_fact("unread", UNREAD_SQL)
