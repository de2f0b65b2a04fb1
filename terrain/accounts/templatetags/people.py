"""Showing people: avatars that respect who may see a photo."""

from __future__ import annotations

from django import template
from django.urls import reverse

from terrain.accounts.models import Visibility

register = template.Library()


@register.inclusion_tag("includes/_avatar.html", takes_context=True)
def avatar(context, person, size: str = "md", shared: bool = False):
    """``shared`` says the viewer and ``person`` are known to share a cooperative
    (a card in a cooperative's news), so "people in my cooperatives" applies
    without another query."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    url = ""
    if person is not None and person.photo:
        is_self = viewer is not None and viewer.is_authenticated and viewer.pk == person.pk
        visible = is_self or person.photo_visibility == Visibility.PLATFORM
        visible = visible or (shared and person.photo_visibility == Visibility.COOPERATIVES)
        if visible:
            # The file name is random per upload: a new photo gets a new URL, so the
            # hour of private caching on the photo view never shows a stale one.
            version = person.photo.name.rsplit("/", 1)[-1].split(".", 1)[0][:8]
            url = f"{reverse('accounts:photo', args=[person.code])}?v={version}"
    return {"person": person, "size": size, "url": url}
