"""Who may read or run an event. Every view goes through here.

- Officials of the structure (and of those above it) create, edit, publish and cancel its
  events, drafts included (:func:`get_event_for`, ``need="manage"``).
- Anyone reads a *published* event of a *published* site (:func:`get_public_event`); a
  draft, an event of another structure or of a closed site is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.mobilisation.models import Event
from terrain.structures.access import StructureAccess, structure_access


@dataclass(frozen=True)
class EventAccess(Grants):
    needs = frozenset({Need.SEE, Need.MANAGE})

    event: Event
    structure: StructureAccess

    @property
    def can_see(self) -> bool:
        return self.structure.can_see

    @property
    def can_manage(self) -> bool:
        return self.structure.can_manage


def get_event_for(request, code: str, *, need: Need | str = Need.MANAGE) -> EventAccess:
    """The event ``code`` with the viewer's rights on its structure (404 unless they may see it)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    event = Event.objects.select_related("structure__parent").filter(code=code).first()
    if event is None:
        raise Http404
    access = EventAccess(event=event, structure=structure_access(user=request.user, structure=event.structure))
    if not access.can_see:
        raise Http404
    return access.require(need)


def get_public_event(site, code: str) -> Event:
    """The published event ``code`` of ``site`` (already checked published); 404 otherwise."""
    if not looks_like_code(code):
        raise Http404
    event = (
        Event.objects.select_related("structure")
        .filter(code=code, structure_id=site.structure_id, published=True)
        .first()
    )
    if event is None:
        raise Http404
    return event
