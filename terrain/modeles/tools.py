"""Fill-in templates are a tool of every cooperative (``cooperatives.tools``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.tools import Tool, register

MODELES = "modeles"

register(
    Tool(
        key=MODELES,
        label=_("Templates"),
        url_name="modeles:home",
        order=50,
        description=_("Letters, tracts and statutes to fill in: a form, then a PDF and an editable file."),
    )
)
