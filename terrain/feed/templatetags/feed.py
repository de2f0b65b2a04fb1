"""Template helpers of the feed: the unread-notifications badge, the cooperative filter."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from terrain.core.menu import member_fact
from terrain.feed.selectors import badge_context

register = template.Library()


@register.inclusion_tag("feed/_badge_inner.html", takes_context=True)
def unread_badge(context) -> dict:
    """The badge of the viewer's unread notifications (nothing for a visitor)."""
    request = context.get("request")
    if request is None:
        return badge_context(user=None, count=None)
    return badge_context(user=request.user, count=member_fact(request, "unread"))


@register.simple_tag
def cooperative_options(memberships, selected=None) -> str:
    """The ``<option>``s of the feed's cooperative filter.

    Built in Python with the standard library's escape: a member of two
    hundred cooperatives gets two hundred options on every feed page.
    """
    selected_id = getattr(selected, "pk", None)
    muted = escape(f" ({_('muted')})")
    options = (
        f'<option value="{escape(m.code)}"{" selected" if m.cooperative_id == selected_id else ""}>'
        f"{escape(m.name)}{muted if m.muted else ''}</option>"
        for m in memberships
    )
    return mark_safe("".join(options))  # noqa: S308 (every value escaped above)
