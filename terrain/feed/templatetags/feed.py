"""Template helpers of the feed: the unread-notifications badge."""

from __future__ import annotations

from django import template

from terrain.feed.selectors import badge_context

register = template.Library()


@register.inclusion_tag("feed/_badge_inner.html", takes_context=True)
def unread_badge(context) -> dict:
    """The badge of the viewer's unread notifications (nothing for a visitor)."""
    request = context.get("request")
    return badge_context(user=getattr(request, "user", None))
