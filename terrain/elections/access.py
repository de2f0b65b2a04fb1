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
    return _election_access(request, election, need)


def _election_access(request, election: Election, need: Need | str) -> ElectionAccess:
    access = structure_access(user=request.user, structure=election.structure)
    if not access.can_see:
        raise Http404
    return ElectionAccess(election=election, structure=access.require(need))


def get_college_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[ElectionAccess, College]:
    """The college ``code`` (its own code) with the viewer's rights on its election."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    college = College.objects.select_related("election__structure__cooperative").filter(code=code).first()
    if college is None:
        raise Http404
    return _election_access(request, college.election, need), college


def get_step_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[ElectionAccess, Step]:
    """The step ``code`` (its own code) with the viewer's rights on its election."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    step = Step.objects.select_related("election__structure__cooperative").filter(code=code).first()
    if step is None:
        raise Http404
    return _election_access(request, step.election, need), step
