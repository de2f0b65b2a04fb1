"""Who sees a relay page: the members of the message's structure (and the officials above it), once it is published."""

from __future__ import annotations

from django.http import Http404

from terrain.atelier.models import Message
from terrain.lib.codes import looks_like_code
from terrain.structures.access import StructureAccess, structure_access


def get_relay_message_for(request, code: str) -> tuple[Message, StructureAccess]:
    """A published message of a structure the viewer belongs to; 404 for anyone else, and for drafts."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    message = Message.objects.select_related("structure").filter(code=code, status=Message.Status.PUBLISHED).first()
    if message is None:
        raise Http404
    access = structure_access(user=request.user, structure=message.structure)
    if not access.can_see:
        raise Http404
    return message, access
