"""Who may see, use, publish or decide on a tract. Every view goes through here.

A tract is seen through a cooperative (its URL names both): in its source cooperative, and in
a cooperative that accepted it. A cooperative below the source's structure may also be offered
it: its facilitators see it to decide, its members only once accepted. The offer of a
published tract reaches a sub-structure created after the publication too: without a row yet,
it is an unsaved ``TractOffer`` that the decision saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, get_cooperative_for
from terrain.cooperatives.models import Cooperative
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.tracts.models import Tract, TractOffer
from terrain.tracts.tools import TRACTS


def offered_to(tract: Tract, cooperative: Cooperative) -> bool:
    """Whether ``tract`` reaches ``cooperative`` as an offer: published by the private
    cooperative of a structure above ``cooperative``'s structure (at any depth)."""
    source = tract.cooperative
    return (
        tract.published_at is not None
        and source.structure_id is not None
        and cooperative.structure_id is not None
        and source.structure_id in cooperative.structure.ancestor_ids()
    )


@dataclass(frozen=True)
class TractAccess(Grants):
    needs = frozenset({Need.READ, Need.POST, Need.EDIT, Need.DELETE, Need.MANAGE, Need.APPROVE})

    tract: Tract
    cooperative: CooperativeAccess
    # The offer of this tract to this cooperative (unsaved when not decided yet and never
    # stored), None in the source cooperative.
    offer: TractOffer | None
    user_id: int

    @property
    def is_source(self) -> bool:
        return self.offer is None

    @property
    def in_library(self) -> bool:
        """In this cooperative's tractothèque: its own, or accepted here."""
        return self.offer is None or self.offer.status == TractOffer.Status.ACCEPTED

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read and (self.in_library or self.cooperative.can_animate)

    @property
    def can_post(self) -> bool:
        """Say it was reused here (« Je l'ai réutilisé »)."""
        return self.in_library and self.cooperative.can_post

    @property
    def can_edit(self) -> bool:
        return (
            self.is_source
            and self.cooperative.can_post
            and (self.tract.author_id == self.user_id or self.cooperative.can_animate)
        )

    @property
    def can_delete(self) -> bool:
        return self.can_edit

    @property
    def can_manage(self) -> bool:
        """Offer it to the sub-structures, and see who downloaded, accepted or reused it."""
        return self.is_source and self.cooperative.can_animate

    @property
    def can_approve(self) -> bool:
        """Accept or decline the offer."""
        return self.offer is not None and self.cooperative.can_animate and self.cooperative.can_post

    @property
    def can_publish_here(self) -> bool:
        return self.can_manage and self.tract.cooperative.structure_id is not None


def _tract_access(request, coop_code: str, code: str) -> TractAccess:
    if not looks_like_code(code):
        raise Http404
    coop = get_cooperative_for(request, coop_code, need=Need.READ).require_tool(TRACTS)
    cooperative = coop.cooperative
    tract = (
        Tract.objects.select_related(
            "cooperative__structure", "structure", "author", "file__current_version", "file__cooperative"
        )
        .filter(code=code, file__deleted_at__isnull=True)
        .first()
    )
    if tract is None:
        raise Http404
    offer = None
    if tract.cooperative_id != cooperative.pk:
        offer = TractOffer.objects.filter(tract=tract, cooperative=cooperative).first()
        if offer is None:
            if not offered_to(tract, cooperative):
                raise Http404
            offer = TractOffer(tract=tract, cooperative=cooperative)
    return TractAccess(tract=tract, cooperative=coop, offer=offer, user_id=request.user.pk)


def get_tract_for(request, coop_code: str, code: str, *, need: Need | str = Need.READ) -> TractAccess:
    """The tract ``code`` as seen in the cooperative ``coop_code``, with the viewer's rights.

    404 when the viewer may not read it there (not a member, the tool off, neither the source's
    nor offered there, an offer not accepted and the viewer no facilitator); PermissionDenied
    when they may read it but not do ``need``.
    """
    access = _tract_access(request, coop_code, code)
    if not access.can_read:
        raise Http404
    return access.require(need)


def get_offer_for(request, coop_code: str, code: str, *, need: Need | str = Need.APPROVE) -> TractAccess:
    """The offer of tract ``code`` to the cooperative ``coop_code`` (404 when there is none, or
    the viewer may not read the tract there), with the viewer's rights on it."""
    access = get_tract_for(request, coop_code, code, need=Need.READ)
    if access.offer is None:
        raise Http404
    return access.require(need)


def cooperative_tracts_access(request, coop_code: str, *, need: Need | str = Need.READ) -> CooperativeAccess:
    """The cooperative of a tractothèque page, with the tool on."""
    return get_cooperative_for(request, coop_code, need=need).require_tool(TRACTS)
