"""Who may run an election: the officials of its structure and of those above it.

An election is reached by its code; a viewer who may not see its structure gets a 404 (it
does not exist for them), a member of the structure who is no official a PermissionDenied.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.elections.models import College, Election, Step
from terrain.lib.access import Need
from terrain.lib.codes import looks_like_code
from terrain.structures.access import StructureAccess, structure_access


@dataclass(frozen=True)
class ElectionAccess:
    election: Election
    structure: StructureAccess


def get_election_for(request, code: str, *, need: Need | str = Need.MANAGE) -> ElectionAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    election = Election.objects.select_related("structure", "structure__cooperative").filter(code=code).first()
    if election is None:
        raise Http404
    access = structure_access(user=request.user, structure=election.structure)
    if not access.can_see:
        raise Http404
    return ElectionAccess(election=election, structure=access.require(need))


def get_college_for(
    request, code: str, college_code: str, *, need: Need | str = Need.MANAGE
) -> tuple[ElectionAccess, College]:
    access = get_election_for(request, code, need=need)
    college = access.election.colleges.filter(code=college_code).first() if looks_like_code(college_code) else None
    if college is None:
        raise Http404
    return access, college


def get_step_for(request, code: str, step_code: str, *, need: Need | str = Need.MANAGE) -> tuple[ElectionAccess, Step]:
    access = get_election_for(request, code, need=need)
    step = access.election.steps.filter(code=step_code).first() if looks_like_code(step_code) else None
    if step is None:
        raise Http404
    return access, step
