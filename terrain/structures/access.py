"""Who may see or manage a structure. Every view goes through here.

A structure is seen by its members (the members of its private cooperative)
and by the officials of it or of any structure above it. It is managed by
its officials and those of the structures above. Anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.models import Membership
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.structures.models import Official, Structure


@dataclass(frozen=True)
class StructureAccess(Grants):
    needs = frozenset({Need.SEE, Need.MANAGE})

    structure: Structure
    is_member: bool
    is_official_here: bool
    is_official_above: bool

    @property
    def can_see(self) -> bool:
        return self.is_member or self.is_official_here or self.is_official_above

    @property
    def can_manage(self) -> bool:
        return self.is_official_here or self.is_official_above


def structure_access(*, user, structure: Structure) -> StructureAccess:
    if user is None or not user.is_authenticated or not user.is_active:
        return StructureAccess(structure, False, False, False)
    mandates = set(
        Official.objects.filter(user=user, structure_id__in=[*structure.ancestor_ids(), structure.pk]).values_list(
            "structure_id", flat=True
        )
    )
    is_member = Membership.objects.filter(user=user, cooperative__structure=structure).exists()
    return StructureAccess(
        structure=structure,
        is_member=is_member,
        is_official_here=structure.pk in mandates,
        is_official_above=bool(mandates - {structure.pk}),
    )


def get_structure_for(request, code: str, *, need: Need | str = Need.SEE) -> StructureAccess:
    """The structure named by ``code`` with the viewer's rights (404 unless they may see it)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    structure = Structure.objects.select_related("parent", "cooperative").filter(code=code).first()
    if structure is None:
        raise Http404
    access = structure_access(user=request.user, structure=structure)
    if not access.can_see:
        raise Http404
    return access.require(need)
