"""Who may see, use, publish or decide on a tract. Every view goes through here.

A tract is seen through a cooperative. In its source cooperative its URL carries the tract's
code; in a cooperative it was offered to, the offer's code: one code, one cooperative, one set
of rights. Members of a receiving cooperative see it once their facilitators accepted it; the
facilitators see it before, to decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access, get_cooperative_for
from terrain.cooperatives.models import Cooperative
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.tracts.models import Tract, TractOffer
from terrain.tracts.tools import TRACTS

_TRACT_RELATED = ("cooperative__structure", "structure", "author", "file__current_version")


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
    # The viewer's rights in the cooperative the tract is seen through.
    cooperative: CooperativeAccess
    # The offer of the tract to that cooperative; None in the source cooperative.
    offer: TractOffer | None
    user_id: int

    @property
    def code(self) -> str:
        """The code of the tract's URLs in this cooperative."""
        return self.offer.code if self.offer is not None else self.tract.code

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


def get_tract_for(request, code: str, *, need: Need | str = Need.READ) -> TractAccess:
    """The tract named by ``code`` (a tract's code: in its cooperative; an offer's code: in the
    receiving cooperative) with the viewer's rights there.

    404 when the viewer may not read it there (not a member, the tool off, an offer not accepted
    and the viewer no facilitator, the file removed from the library); PermissionDenied when
    they may read it but not do ``need``.
    """
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    offer = None
    tract = Tract.objects.select_related(*_TRACT_RELATED).filter(code=code).first()
    if tract is None:
        offer = (
            TractOffer.objects.select_related("cooperative__structure", *(f"tract__{r}" for r in _TRACT_RELATED))
            .filter(code=code)
            .first()
        )
        if offer is None:
            raise Http404
        tract = offer.tract
        cooperative = offer.cooperative
    else:
        cooperative = tract.cooperative
    if tract.file.deleted_at is not None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(TRACTS)
    access = TractAccess(tract=tract, cooperative=coop, offer=offer, user_id=request.user.pk)
    if not access.can_read:
        raise Http404
    return access.require(need)


def get_offer_for(request, code: str, *, need: Need | str = Need.APPROVE) -> TractAccess:
    """The offer ``code`` of a tract to a cooperative, with the viewer's rights on it (404 for a
    tract's own code: nothing to decide in its source cooperative)."""
    access = get_tract_for(request, code, need=Need.READ)
    if access.offer is None:
        raise Http404
    return access.require(need)


def cooperative_tracts_access(request, code: str, *, need: Need | str = Need.READ) -> CooperativeAccess:
    """The cooperative of a tractothèque page (``code``: the cooperative's), with the tool on."""
    return get_cooperative_for(request, code, need=need).require_tool(TRACTS)
