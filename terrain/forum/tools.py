"""The forum is a tool of every cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

FORUM = "forum"

register(
    Tool(
        key=FORUM,
        label=_("Forum"),
        url_name="forum:home",
        order=20,
        description=_("Discussions by category: topics, replies, quotes, answers marked as solved."),
    )
)
