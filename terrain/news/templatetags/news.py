"""Template helpers of the news cards."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.lib.urls import url_for_code

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
    return _here(context)


def _here(context) -> str:
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


@register.simple_tag(takes_context=True)
def reaction_bar(context, post) -> SafeString:
    """The reaction bar of a post (``post`` prepared by ``news.selectors.posts_prepare``).

    One form, one button per kind: a plain POST without JavaScript, swapped in
    place by htmx. Built in Python: the feed shows twenty of them per page and
    a template loop of five buttons costs ten times more.
    """
    action = url_for_code("news:react", post.code)
    disabled = "" if post.access.can_comment else " disabled"
    buttons = format_html_join(
        "",
        '<button type="submit" name="kind" value="{}" class="reaction" title="{}" aria-pressed="{}"{}>'
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</button>',
        (
            (
                button["kind"],
                button["label"],
                "true" if button["mine"] else "false",
                disabled,
                button["emoji"],
                button["label"],
                format_html('<span class="reaction__count">{}</span>', button["count"]) if button["count"] else "",
            )
            for button in post.reaction_buttons
        ),
    )
    return format_html(
        '<form method="post" action="{action}" class="reactions row" id="reactions-{code}" hx-post="{action}"'
        ' hx-target="this" hx-swap="outerHTML" aria-label="{label}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="next" value="{next}#post-{code}">{buttons}</form>',
        action=action,
        code=post.code,
        label=_("Reactions"),
        csrf=context.get("csrf_token", ""),
        next=_here(context),
        buttons=buttons,
    )
