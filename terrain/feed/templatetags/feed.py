"""Template helpers of the feed: its items, the unread-notifications badge, the cooperative filter."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from terrain.core.menu import member_fact
from terrain.feed.models import Verb
from terrain.feed.selectors import UNREAD_CAP, badge_context
from terrain.lib.urls import url_named
from terrain.news.cards import feed_card

register = template.Library()

# The template of each kind of item but a new post, whose card comes from the card cache.
ITEM_TEMPLATES = {verb: f"feed/items/_{verb}.html" for verb in Verb.values if verb != Verb.POST_PUBLISHED}


@register.simple_tag(takes_context=True)
def feed_items(context, activities) -> str:
    """The cards of ``activities`` (``feed.selectors.activities_for_display``), in order: a new post's
    card from the card cache (``news.cards``), any other item from the template of its verb."""
    engine = context.template.engine
    cards = []
    for activity in activities:
        if activity.verb == Verb.POST_PUBLISHED:
            if activity.post is not None:
                cards.append(feed_card(context, activity.post))
            continue
        with context.push(activity=activity):
            cards.append(engine.get_template(ITEM_TEMPLATES[activity.verb]).render(context))
    return mark_safe("".join(cards))  # noqa: S308 (cards and templates rendered autoescaped)


@register.simple_tag(takes_context=True)
def unread_badge(context) -> str:
    """The badge of the viewer's unread notifications (nothing for a visitor)."""
    return badge_for(context.get("request"))


def badge_for(request) -> str:
    """The badge of the member of ``request`` (the menu's fact ``unread``), as every page and
    its polling view show it."""
    if request is None:
        return badge_html(badge_context(user=None, count=None))
    return badge_html(badge_context(user=request.user, count=member_fact(request, "unread")))


def badge_html(badge: dict) -> str:
    """The badge (``feed.selectors.badge_context``): the count, said in words for screen readers,
    refreshing itself with htmx; hidden at zero. Built in Python: it is on every page."""
    if not badge["refresh_seconds"]:
        return ""
    count = badge["count"]
    if count > UNREAD_CAP:
        spoken = _("more than 99 unread notifications")
    else:
        spoken = ngettext("%(counter)s unread notification", "%(counter)s unread notifications", count) % {
            "counter": count
        }
    return format_html(
        '<span class="badge" id="notifications-badge" hx-get="{}" hx-trigger="every {}s" hx-swap="outerHTML"'
        ' hx-select="#notifications-badge"{}><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        url_named("feed:badge"),
        int(badge["refresh_seconds"]),
        "" if count else mark_safe(" hidden"),
        badge["label"],
        spoken,
    )


@register.simple_tag
def cooperative_options(memberships, selected=None) -> str:
    """The ``<option>``s of the feed's cooperative filter.

    Built in Python with the standard library's escape: a member of two
    hundred cooperatives gets two hundred options on every feed page.
    """
    selected_id = getattr(selected, "pk", None)
    # A whole sentence for the translators (a word in an f-string is never extracted).
    muted = escape(pgettext("feed filter, a cooperative muted in my feed", "%(name)s (muted)"))
    options = (
        f'<option value="{escape(m.code)}"{" selected" if m.cooperative_id == selected_id else ""}>'
        f"{muted % {'name': escape(m.name)} if m.muted else escape(m.name)}</option>"
        for m in memberships
    )
    return mark_safe("".join(options))  # noqa: S308 (every value escaped above)
