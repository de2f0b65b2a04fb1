"""The news is a tool of every cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

NEWS = "news"

register(
    Tool(
        key=NEWS,
        label=_("News"),
        url_name="cooperatives:detail",
        order=10,
        description=_("Posts with pictures, comments and reactions, in every member's feed."),
    )
)
