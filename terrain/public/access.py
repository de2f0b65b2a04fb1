"""Who may read or edit a public site. Every view goes through here.

- :func:`get_public_site`: anyone, signed in or not, reads a *published* site; an
  unpublished or unknown one is a 404 that says nothing.
- :func:`get_site_for`: the officials of a structure (and of those above it) edit its
  site: the structure's access (``need="manage"``), nobody else.
"""

from __future__ import annotations

import re

from django.http import Http404

from terrain.lib.access import Need
from terrain.public.models import Site
from terrain.structures.access import StructureAccess, get_structure_for

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def get_public_site(slug: str) -> Site:
    """The published site at ``slug``, with its structure; 404 otherwise."""
    if not SLUG.match(slug or "") or len(slug) > 60:
        raise Http404
    site = Site.objects.select_related("structure").filter(slug=slug, published=True).first()
    if site is None:
        raise Http404
    return site


def get_site_for(request, code: str, *, need: Need | str = Need.MANAGE) -> StructureAccess:
    """The structure ``code`` whose site the viewer edits (its site, if any, is ``access.structure.site``)."""
    return get_structure_for(request, code, need=need)
