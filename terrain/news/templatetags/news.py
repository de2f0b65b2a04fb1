"""Template helpers of the news cards."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from terrain.lib.html import plain_text, sanitize_rich_text

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, in words ("3 hours ago"); the exact date goes in the <time> title."""
    if not value:
        return ""
    now = timezone.now()
    if now - value < timedelta(minutes=1):
        return _("just now")
    return _("%(delta)s ago") % {"delta": timesince(value, now, depth=1)}


@register.simple_tag(takes_context=True)
def here(context) -> str:
    """The page the person is looking at, also when this is an htmx fragment of it:
    where an action without JavaScript comes back to."""
    request = context.get("request")
    if request is None:
        return ""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return htmx.current_url_abs_path
    return request.get_full_path()


@register.filter
def rich_text(value: str) -> str:
    """Stored rich text, sanitised again at display."""
    return mark_safe(sanitize_rich_text(value or ""))  # noqa: S308


@register.filter
def plain(value: str) -> str:
    """Stored HTML as plain text (escaped again on output), for excerpts."""
    return plain_text(value or "")
