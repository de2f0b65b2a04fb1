"""Who sees the join requests. Every officials' view goes through here.

A request is seen and handled by the officials of the structure it was routed to, and
by those of the structures above it only when the instance says so
(``ADHESION_VISIBLE_TO_PARENTS``, off by default). Nobody else learns it exists (404):
not a plain member of the structure, not an official of a sibling structure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from terrain.adhesions.models import JoinRequest
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.structures.models import Official, Structure


@dataclass(frozen=True)
class AdhesionAccess(Grants):
    needs = frozenset({Need.READ, Need.MANAGE})

    structure: Structure
    is_official_here: bool
    is_official_above: bool

    @property
    def can_read(self) -> bool:
        return self.is_official_here or (self.is_official_above and settings.ADHESION_VISIBLE_TO_PARENTS)

    @property
    def can_manage(self) -> bool:
        return self.can_read


def adhesion_access(*, user, structure: Structure) -> AdhesionAccess:
    if user is None or not user.is_authenticated or not user.is_active:
        return AdhesionAccess(structure, False, False)
    mandates = set(
        Official.objects.filter(user=user, structure_id__in=[*structure.ancestor_ids(), structure.pk]).values_list(
            "structure_id", flat=True
        )
    )
    return AdhesionAccess(structure, structure.pk in mandates, bool(mandates - {structure.pk}))


def structures_reading(user) -> list[Structure]:
    """The structures whose requests ``user`` handles (their own mandates, and those below when allowed)."""
    if not user.is_authenticated:
        return []
    own = list(Structure.objects.filter(officials__user=user).distinct().order_by("path"))
    if not settings.ADHESION_VISIBLE_TO_PARENTS or not own:
        return own
    below = Q()
    for structure in own:
        below |= Q(path__startswith=structure.path)
    return list(Structure.objects.filter(below).order_by("path"))


def get_pipeline_for(request, code: str, *, need: Need | str = Need.READ) -> AdhesionAccess:
    """The structure named by ``code`` whose join requests the viewer handles; 404 for anyone else."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    structure = Structure.objects.filter(code=code).first()
    if structure is None:
        raise Http404
    access = adhesion_access(user=request.user, structure=structure)
    if not access.can_read:
        raise Http404
    return access.require(need)


def get_join_request_for(request, code: str, *, need: Need | str = Need.READ) -> tuple[JoinRequest, AdhesionAccess]:
    """The join request named by ``code`` and the viewer's rights on it; 404 for anyone but its officials."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    join_request = (
        JoinRequest.objects.select_related("structure", "assignee", "site").filter(code=code, is_spam=False).first()
    )
    if join_request is None:
        raise Http404
    access = adhesion_access(user=request.user, structure=join_request.structure)
    if not access.can_read:
        raise Http404
    try:
        return join_request, access.require(need)
    except PermissionDenied:  # pragma: no cover - read and manage go together today
        raise Http404 from None
