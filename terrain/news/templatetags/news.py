"""Template helpers of the news cards."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.lib.urls import url_for_code

register = template.Library()


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
    place by htmx. Built in Python: the feed shows a bar per post and a
    template loop of five buttons costs ten times more.
    """
    disabled = "" if post.access.can_comment else " disabled"
    buttons = "".join(
        format_html(
            '<button type="submit" name="kind" value="{}" class="reaction" title="{}" aria-pressed="{}"{}>'
            '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</button>',
            button["kind"],
            button["label"],
            "true" if button["mine"] else "false",
            disabled,
            button["emoji"],
            button["label"],
            format_html('<span class="reaction__count">{}</span>', button["count"]) if button["count"] else "",
        )
        for button in post.reaction_buttons
    )
    action = url_for_code("news:react", post.code)
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
        buttons=mark_safe(buttons),  # noqa: S308 (each button went through format_html)
    )


@register.simple_tag(takes_context=True)
def submission_key_field(context, form=None) -> SafeString:
    """A hidden field naming this one form: sent twice, it publishes once.

    ``form`` shown again with errors keeps the key it was sent with (nothing was
    published); any other form gets a new one.
    """
    request = context.get("request")
    sent = ""
    if form is not None and getattr(form, "is_bound", False) and form.errors and request is not None:
        sent = request.POST.get("submission_key", "")
    return format_html('<input type="hidden" name="submission_key" value="{}">', sent or uuid.uuid4().hex)
