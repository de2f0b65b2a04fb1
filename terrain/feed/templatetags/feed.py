"""Template helpers of the feed: its items, the unread-notifications badge, the cooperative filter."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from terrain.core.menu import member_fact
from terrain.feed.models import Activity, Verb
from terrain.feed.selectors import UNREAD_CAP, badge_context
from terrain.lib.urls import url_named
from terrain.news.cards import feed_card

register = template.Library()

# The template of each kind of item but a new post, whose card comes from the card cache.
ITEM_TEMPLATES = {verb: f"feed/items/_{verb}.html" for verb in Verb.values if verb != Verb.POST_PUBLISHED}
# A new post's card, under the line saying who commented on it since.
COMMENTED_POST_TEMPLATE = "feed/items/_commented_post.html"


_POSTED = Verb.POST_PUBLISHED.value
_COMMENTED = Verb.COMMENT_ADDED.value
_ALONE: tuple = ()


def feed_cards(activities: list[Activity]) -> list[tuple[Activity, list[Activity] | tuple]]:
    """``activities`` (newest first) as cards, one per post: each card is its lead activity (a new
    post, a new member, or the newest comment on a post whose own card is not on the page) and the
    page's comments on that post, oldest first. The comments on a post join its card, where its
    newest activity stands (a post with comments on the page moves up to the newest one). Done at
    display, from the page's rows: the page, its cursors and its queries do not change."""
    if not any(activity.verb == _COMMENTED for activity in activities):
        return [(activity, _ALONE) for activity in activities]  # the usual page: nothing to group
    posted = {a.post_id: a for a in activities if a.verb == _POSTED and a.post_id}
    cards: list[tuple[Activity, list[Activity] | tuple]] = []
    by_post: dict[int, list[Activity]] = {}
    for activity in activities:
        if activity.verb == _COMMENTED and activity.post_id:
            comments = by_post.get(activity.post_id)
            if comments is None:
                comments = by_post[activity.post_id] = []
                cards.append((posted.get(activity.post_id, activity), comments))
            comments.insert(0, activity)
        elif activity.verb == _POSTED and activity.post_id:
            if activity.post_id not in by_post:
                by_post[activity.post_id] = []
                cards.append((activity, by_post[activity.post_id]))
        else:
            cards.append((activity, _ALONE))
    return cards


@register.simple_tag(takes_context=True)
def feed_items(context, activities) -> str:
    """The cards of ``activities`` (``feed.selectors.activities_for_display``), one per post
    (``feed_cards``): a post's card from the card cache (``news.cards``), with a line naming who
    commented on it when the page holds comments on it; any other item from the template of its
    verb (a post older than the page gets one card with its new comments)."""
    engine = context.template.engine
    parts = []
    for lead, comments in feed_cards(activities):
        if lead.verb == _POSTED:
            if lead.post is None:
                continue
            card = feed_card(context, lead.post)
            if comments:
                with context.push(activity=comments[-1], comments=comments, card=card):
                    card = engine.get_template(COMMENTED_POST_TEMPLATE).render(context)
            parts.append(card)
            continue
        with context.push(activity=lead, comments=comments):
            parts.append(engine.get_template(ITEM_TEMPLATES[lead.verb]).render(context))
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
