"""The templates in the feed (``feed.items``): an animateur added a template."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register
from terrain.modeles.models import DocumentTemplate
from terrain.modeles.services import TEMPLATE_ADDED
from terrain.modeles.tools import MODELES

register(
    ItemKind(
        verb=TEMPLATE_ADDED,
        label=_("added a template"),
        model=DocumentTemplate,
        broadcast=True,
        template="modeles/feed/_template_added.html",
        tool=MODELES,
    )
)
