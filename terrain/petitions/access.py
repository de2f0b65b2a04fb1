"""Who may read or run a petition. Every view goes through here.

- :func:`get_public_petition`: anyone reads an open or closed petition on its
  structure's *published* site; a draft, another site's petition, or an unpublished
  site is a 404 that says nothing.
- :func:`get_petition_for`: the officials of the petition's structure (and of those
  above it) run it; a viewer who may not see the structure gets a 404, one who sees
  it without managing it a PermissionDenied.
"""

from __future__ import annotations

from django.http import Http404

from terrain.lib.access import Need
from terrain.lib.codes import looks_like_code
from terrain.petitions.models import Petition
from terrain.public.access import SLUG
from terrain.public.models import Site
from terrain.structures.access import StructureAccess, structure_access


def get_public_petition(slug: str, code: str) -> tuple[Site, Petition]:
    """The petition and its site, in one query (a page that goes viral asks for it at every visit)."""
    if not SLUG.match(slug or "") or len(slug) > 60 or not looks_like_code(code):
        raise Http404
    petition = (
        Petition.objects.select_related("structure__site")
        .filter(
            code=code,
            structure__site__slug=slug,
            structure__site__published=True,
            state__in=[Petition.State.OPEN, Petition.State.CLOSED],
        )
        .first()
    )
    if petition is None:
        raise Http404
    return petition.structure.site, petition


def get_petition_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[Petition, StructureAccess]:
    """The petition named by ``code`` and the viewer's rights on its structure."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    petition = Petition.objects.select_related("structure").filter(code=code).first()
    if petition is None:
        raise Http404
    access = structure_access(user=request.user, structure=petition.structure)
    if not access.can_see:
        raise Http404
    return petition, access.require(need)
