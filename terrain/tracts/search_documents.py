"""The tractothèque in the search (``search.registry``): tracts, found by title, description and
themes, in their cooperative; and the tracts a cooperative accepted, found there too.

The tract's file is found as a library file (kind "file") in its own cooperative only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.search.registry import Document, SearchKind, register
from terrain.tracts.models import Tract, TractOffer
from terrain.tracts.tools import TRACTS

TRACT = "tract"
TRACT_RECEIVED = "tractreceived"


def _body(tract: Tract) -> str:
    parts = [tract.description, " ".join(tract.themes)]
    if tract.structure is not None:
        parts.append(tract.structure.name)
    return "\n".join(p for p in parts if p)


def _tract_document(tract: Tract) -> Document | None:
    if tract.file.deleted_at is not None:
        return None
    return Document(
        cooperative_id=tract.cooperative_id,
        title=tract.title,
        body=_body(tract),
        url=reverse("tracts:detail", args=[tract.code]),
        created_at=tract.created_at,
        author_id=tract.author_id,
    )


def _received_document(offer: TractOffer) -> Document | None:
    tract = offer.tract
    if offer.status != TractOffer.Status.ACCEPTED or tract.file.deleted_at is not None:
        return None
    return Document(
        cooperative_id=offer.cooperative_id,
        title=tract.title,
        body=_body(tract),
        url=reverse("tracts:detail", args=[offer.code]),
        created_at=offer.decided_at or tract.created_at,
        author_id=tract.author_id,
    )


register(SearchKind(key=TRACT, label=_("Tracts"), tool=TRACTS, model=Tract, document=_tract_document, order=45))
register(
    SearchKind(
        key=TRACT_RECEIVED,
        label=_("Tracts received"),
        tool=TRACTS,
        model=TractOffer,
        document=_received_document,
        order=46,
    )
)
