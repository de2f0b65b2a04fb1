from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "terrain.inbox"
    label = "inbox"
    verbose_name = _("Inbox and watch")

    def ready(self):
        from terrain.atelier import account_facts
        from terrain.core.menu import register_fact
        from terrain.inbox.account_facts import reading_facts
        from terrain.inbox.selectors import INBOX_NEW_SQL

        register_fact("inbox_new", INBOX_NEW_SQL)
        account_facts.register("inbox", reading_facts)
