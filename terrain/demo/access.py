"""Who may look at a structure's sandbox: its workshop's managers, and staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from terrain.atelier.access import get_atelier_for
from terrain.lib.codes import looks_like_code
from terrain.structures.models import Structure


def get_sandbox_for(request, code: str) -> Structure:
    """The structure ``code`` if the viewer manages its accounts or is staff; else 404 / PermissionDenied."""
    if request.user.is_authenticated and request.user.is_staff and looks_like_code(code):
        structure = Structure.objects.filter(code=code).first()
        if structure is None:
            raise Http404
        return structure
    access = get_atelier_for(request, code, need="manage")
    if not access.can_manage:  # get_atelier_for refused already; kept for the reader
        raise PermissionDenied
    return access.structure
