"""The FAQ in the feed (``feed.items``): a new entry, heard of by every member of its cooperative."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.faq.models import Entry
from terrain.faq.services import ENTRY_ADDED
from terrain.faq.tools import FAQ
from terrain.feed.items import ItemKind, register


def _url(activity) -> str:
    entry = activity.target
    return reverse("faq:entry", args=[entry.cooperative.code, entry.code])


register(
    ItemKind(
        verb=ENTRY_ADDED,
        label=_("added a question to the FAQ"),
        model=Entry,
        broadcast=True,
        related=("cooperative",),
        template="faq/feed/_entry_added.html",
        url=_url,
        tool=FAQ,
    )
)
