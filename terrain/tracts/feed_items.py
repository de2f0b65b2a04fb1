"""The tractothèque in the feed (``feed.items``): a tract published in its cooperative, and a
tract accepted from a structure above (in the receiving cooperative's feed)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register
from terrain.tracts.models import Tract
from terrain.tracts.tools import TRACTS

TRACT_PUBLISHED = "tract_published"
TRACT_ACCEPTED = "tract_accepted"


def _url(activity) -> str:
    return reverse("tracts:detail", args=[activity.cooperative.code, activity.target.code])


for verb, label in ((TRACT_PUBLISHED, _("published a tract")), (TRACT_ACCEPTED, _("added a tract offered to it"))):
    register(
        ItemKind(
            verb=verb,
            label=label,
            model=Tract,
            broadcast=True,
            related=("cooperative", "structure", "file"),
            template="tracts/feed/_tract.html",
            url=_url,
            tool=TRACTS,
        )
    )
