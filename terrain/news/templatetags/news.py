"""Template helpers of the news cards."""

from __future__ import annotations

import uuid

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from terrain.lib.fragments import filler, hole, recording
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
    template loop of five buttons costs ten times more. In a skeleton
    (``lib.fragments``) the whole bar is left to each request.
    """
    marker = hole(context, "reactions")
    if marker:
        return marker
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


@filler("reactions")
def _fill_reactions(context, **_) -> str:
    return reaction_bar(context, context["post"])


# The nodes of every {% per_reader %} block parsed in this process, by template and line.
_READER_BLOCKS: dict[tuple[str, int], template.NodeList] = {}


class PerReaderNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: tuple[str, int]):
        self.nodelist = nodelist
        self.key = key

    def render(self, context) -> str:
        recorder = recording(context)
        if recorder is None:
            return self.nodelist.render(context)
        return hole(context, "block", *self.key, recorder.bound(context))


@register.tag
def per_reader(parser, token):
    """``{% per_reader %}…{% endper_reader %}``: a part of a card that depends on the reader
    (their rights, a form with their token). Rendered as usual, except in a skeleton
    (``lib.fragments``), where it is left to each request. Variables set by an enclosing
    ``{% with %}`` or loop are not available at that time: the block may use the card's
    own variables (``post``, ``in_cooperative``, ``comment``) and the page's."""
    nodelist = parser.parse(("endper_reader",))
    parser.delete_first_token()
    key = (parser.origin.template_name, token.lineno)
    _READER_BLOCKS[key] = nodelist
    return PerReaderNode(nodelist, key)


@filler("block")
def _fill_block(context, template_name: str, lineno: int, bound: dict[str, int], bindings, **_) -> str:
    nodelist = _READER_BLOCKS.get((template_name, lineno))
    if nodelist is None:  # cached by another process: parse the template here
        get_template(template_name)
        nodelist = _READER_BLOCKS[(template_name, lineno)]
    with context.push({name: bindings[name][index] for name, index in bound.items()}):
        return nodelist.render(context)


@register.simple_tag(takes_context=True)
def feed_post_card(context, post) -> SafeString:
    """The card of ``post`` in the feed, from the card cache (``news.cards``)."""
    from terrain.news.cards import feed_card

    return feed_card(context, post)
