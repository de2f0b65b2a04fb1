"""Showing people: avatars that respect who may see a photo."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from terrain.accounts.models import Visibility
from terrain.lib.fragments import filler, hole, recording
from terrain.lib.urls import url_for_code

register = template.Library()


@register.simple_tag(takes_context=True)
def avatar(context, person, size: str = "md", shared: bool = False) -> str:
    """A person's photo when the viewer may see it, their initials otherwise.

    ``shared`` says the viewer and ``person`` are known to share a cooperative
    (a card in a cooperative's news), so "people in my cooperatives" applies
    without another query. Built in Python rather than from a template: a feed
    page shows dozens of avatars. In a skeleton (``lib.fragments``), both
    versions are kept when they differ (the person sees their own photo
    whatever its visibility), and the request picks one.
    """
    if recording(context) is not None:
        other = avatar_html(person, size, shared=shared, is_self=False)
        own = avatar_html(person, size, shared=shared, is_self=True)
        if own == other:
            return other
        return hole(context, "avatar", person.pk, own, other)
    request = context.get("request")
    viewer = getattr(request, "user", None)
    is_self = person is not None and viewer is not None and viewer.is_authenticated and viewer.pk == person.pk
    return avatar_html(person, size, shared=shared, is_self=is_self)


@filler("avatar")
def _fill_avatar(context, person_id: int, own: str, other: str, **_) -> str:
    viewer = getattr(context.get("request"), "user", None)
    return own if viewer is not None and viewer.is_authenticated and viewer.pk == person_id else other


def avatar_html(person, size: str, *, shared: bool, is_self: bool) -> str:
    url = ""
    if person is not None and person.photo:
        visible = is_self or person.photo_visibility == Visibility.PLATFORM
        visible = visible or (shared and person.photo_visibility == Visibility.COOPERATIVES)
        if visible:
            # The file name is random per upload: a new photo gets a new URL, so the
            # hour of private caching on the photo view never shows a stale one.
            version = person.photo.name.rsplit("/", 1)[-1].split(".", 1)[0][:8]
            url = f"{url_for_code('accounts:photo', person.code)}?v={version}"
    if url:
        return format_html('<img class="avatar avatar--{}" src="{}" alt="" loading="lazy">', size, url)
    initials = person.initials if person is not None else "?"
    return format_html('<span class="avatar avatar--{} avatar--initials" aria-hidden="true">{}</span>', size, initials)
