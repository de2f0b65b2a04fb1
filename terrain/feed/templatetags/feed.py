"""Template helpers of the feed: its items, the unread-notifications badge, the cooperative filter."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from terrain.core.menu import member_fact
from terrain.feed.items import kind_of
from terrain.feed.models import Activity
from terrain.feed.selectors import UNREAD_CAP, badge_context
from terrain.lib.urls import url_named

register = template.Library()

_ALONE: tuple = ()


def feed_cards(activities: list[Activity]) -> list[tuple[Activity, list[Activity] | tuple]]:
    """``activities`` (newest first) as cards: each card is its lead activity and the page's other
    activities of the same card, oldest first. A kind that ``group``s its activities (``feed.items``)
    puts those of the same key on one card, where the newest of them stands, led by the one of a
    kind that ``leads`` (a new post, with the comments on it), else by the newest (comments on a
    post whose own card is not on the page). Done at display, from the page's rows: the page, its
    cursors and its queries do not change."""
    cards: list[list[Activity] | Activity] = []
    by_key: dict = {}
    for activity in activities:
        kind = kind_of(activity.verb)
        key = kind.group(activity) if kind is not None and kind.group is not None else None
        if key is None:
            cards.append(activity)  # a card of its own
            continue
        members = by_key.get(key)
        if members is None:
            members = by_key[key] = []
            cards.append(members)
        members.append(activity)
    result: list[tuple[Activity, list[Activity] | tuple]] = []
    for members in cards:
        if isinstance(members, Activity):
            result.append((members, _ALONE))
            continue
        heads = [m for m in members if kind_of(m.verb).leads]
        lead = heads[0] if heads else members[0]
        result.append((lead, [m for m in reversed(members) if m not in heads]))
    return result


@register.simple_tag(takes_context=True)
def feed_items(context, activities) -> str:
    """The cards of ``activities`` (``feed.selectors.activities_for_display``), one per card of
    ``feed_cards``, each rendered by the kind of its lead activity (``feed.items``: a new post's
    card from the card cache, any other from its kind's template)."""
    parts = []
    for lead, group in feed_cards(activities):
        kind = kind_of(lead.verb)
        if kind is None:
            continue
        parts.append(kind.render(context, kind, lead, group))
    return mark_safe("".join(parts))  # noqa: S308 (cards and templates rendered autoescaped)


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


@register.simple_tag(takes_context=True)
def commented_line(context, activity, comments) -> str:
    """Who commented on ``activity``'s post, in plain words: "Bob commented on your post in X",
    "Bob and 2 other people commented on Alice's post in X" (``comments`` newest last)."""
    names: list[str] = []
    for item in reversed(comments or [activity]):
        name = item.actor.display_name if item.actor is not None else _("A former member")
        if name not in names:
            names.append(name)
    request = context.get("request")
    mine = request is not None and activity.post.author_id == request.user.pk
    values = {
        "actor": escape(names[0]),
        "cooperative": escape(activity.cooperative.name),
        "author": escape(activity.post.author.display_name if activity.post.author else _("a former member")),
        "counter": len(names) - 1,
    }
    if len(names) == 1:
        line = (
            _("%(actor)s commented on your post in %(cooperative)s")
            if mine
            else _("%(actor)s commented on %(author)s’s post in %(cooperative)s")
        )
    elif mine:
        line = ngettext(
            "%(actor)s and %(counter)s other person commented on your post in %(cooperative)s",
            "%(actor)s and %(counter)s other people commented on your post in %(cooperative)s",
            values["counter"],
        )
    else:
        line = ngettext(
            "%(actor)s and %(counter)s other person commented on %(author)s’s post in %(cooperative)s",
            "%(actor)s and %(counter)s other people commented on %(author)s’s post in %(cooperative)s",
            values["counter"],
        )
    return mark_safe(line % values)  # noqa: S308 (every value escaped above)
