"""The tractothèque in the feed (``feed.items``): a tract published in its cooperative, and a
tract accepted from a structure above (in the receiving cooperative's feed, about the offer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register
from terrain.tracts.models import Tract, TractOffer
from terrain.tracts.tools import TRACTS

TRACT_PUBLISHED = "tract_published"
TRACT_ACCEPTED = "tract_accepted"


def _url(activity) -> str:
    return reverse("tracts:detail", args=[activity.target.code])


register(
    ItemKind(
        verb=TRACT_PUBLISHED,
        label=_("published a tract"),
        model=Tract,
        broadcast=True,
        related=("structure",),
        template="tracts/feed/_tract_published.html",
        url=_url,
        tool=TRACTS,
    )
)
register(
    ItemKind(
        verb=TRACT_ACCEPTED,
        label=_("added a tract offered by a structure above"),
        model=TractOffer,
        broadcast=True,
        related=("tract__cooperative", "tract__structure"),
        template="tracts/feed/_tract_accepted.html",
        url=_url,
        tool=TRACTS,
    )
)
