"""The tractothèque in the feed (``feed.items``): a tract published in its cooperative, and a
tract accepted from a structure above (in the receiving cooperative's feed, about the offer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, LoadRequest, load_by_model, register
from terrain.tracts.models import Tract, TractOffer
from terrain.tracts.tools import TRACTS

TRACT_PUBLISHED = "tract_published"
TRACT_ACCEPTED = "tract_accepted"


def _url(activity) -> str:
    return reverse("tracts:detail", args=[activity.target.code])


def _tract_of(target):
    return target if isinstance(target, Tract) else target.tract


def _load_live(request: LoadRequest, kind: ItemKind) -> None:
    """The default load (one query), then tracts whose file left the library are left out."""
    load_by_model(request, kind)
    for activity in request.activities:
        if activity.target is not None and _tract_of(activity.target).file.deleted_at is not None:
            activity.target = None


register(
    ItemKind(
        verb=TRACT_PUBLISHED,
        label=_("published a tract"),
        model=Tract,
        broadcast=True,
        related=("structure", "file"),
        load=_load_live,
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
        related=("tract__cooperative", "tract__structure", "tract__file"),
        load=_load_live,
        template="tracts/feed/_tract_accepted.html",
        url=_url,
        tool=TRACTS,
    )
)
