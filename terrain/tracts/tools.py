"""The tractothèque is a tool of every cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

TRACTS = "tracts"

register(
    Tool(
        key=TRACTS,
        label=_("Tracts"),
        url_name="tracts:home",
        order=45,
        description=_("The tracts of the cooperative by theme and date, and those offered by the structures above."),
    )
)
