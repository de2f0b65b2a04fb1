"""The FAQ is a tool of every cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

FAQ = "faq"

register(
    Tool(
        key=FAQ,
        label=_("FAQ"),
        url_name="faq:home",
        order=30,
        description=_("Questions and answers by theme, curated by the facilitators; members propose questions."),
    )
)
