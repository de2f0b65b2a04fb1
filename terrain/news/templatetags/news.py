"""Template helpers of the news cards."""

from __future__ import annotations

import uuid
from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from terrain.lib.fragments import fill, filler, hole, recording, render_nested
from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.lib.urls import url_for_code
from terrain.news.cards import feed_card

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
        f'<button type="submit" name="kind" value="{button["kind"]}" class="reaction"'
        f' title="{_escaped(button["label"])}"'
        f' aria-pressed="{"true" if button["mine"] else "false"}"{disabled}>'
        f'<span aria-hidden="true">{button["emoji"]}</span>'
        f'<span class="visually-hidden">{_escaped(button["label"])}</span>'
        f"{_count(button['count'])}</button>"
        for button in post.reaction_buttons
    )
    action = url_for_code("news:react", post.code)
    return mark_safe(  # noqa: S308 (codes are letters and digits, kinds and emoji constants, the rest escaped)
        f'<form method="post" action="{action}" class="reactions row" id="reactions-{post.code}" hx-post="{action}"'
        f' hx-target="this" hx-swap="outerHTML" aria-label="{_escaped(_("Reactions"))}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.get("csrf_token", ""))}">'
        f'<input type="hidden" name="next" value="{escape(_here(context))}#post-{post.code}">{buttons}</form>'
    )


@lru_cache(maxsize=64)
def _escaped(label: str) -> str:
    # Reaction labels: a handful of translated strings, escaped once per process.
    return escape(label)


def _count(count: int) -> str:
    return f'<span class="reaction__count">{int(count)}</span>' if count else ""


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


# Every {% per_reader %} node parsed in this process, by template and position in it.
_READER_NODES: dict[tuple[str, int], PerReaderNode] = {}


class PerReaderNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: tuple[str, int], condition=None):
        self.nodelist = nodelist
        self.key = key
        self.condition = condition

    def shown(self, context) -> bool:
        return self.condition is None or bool(self.condition.resolve(context, ignore_failures=True))

    def render(self, context) -> str:
        recorder = recording(context)
        if recorder is None:
            return self.nodelist.render(context) if self.shown(context) else ""
        if self.condition is None:
            return hole(context, "block", *self.key, recorder.bound(context))
        return hole(context, "when", *self.key, recorder.bound(context), render_nested(self.nodelist, context))


@register.tag
def per_reader(parser, token):
    """``{% per_reader %}…{% endper_reader %}``: a part of a card that depends on the reader
    (their rights, a form with their token). Rendered as usual, except in a skeleton
    (``lib.fragments``), where it is left to each request.

    ``{% per_reader when post.access.can_comment %}…{% endper_reader %}``: a part shown
    only when the condition holds for the reader; its content is the same for every
    reader who sees it, so it stays in the skeleton (with its own ``per_reader`` parts).

    Variables set by an enclosing ``{% with %}`` or loop are not available at fill
    time: the block may use the card's own variables (``post``, ``in_cooperative``,
    ``comment``) and the page's."""
    bits = token.split_contents()
    if len(bits) not in (1, 3) or (len(bits) == 3 and bits[1] != "when"):
        raise template.TemplateSyntaxError("Use {% per_reader %} or {% per_reader when <condition> %}")
    condition = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    # Numbered in the order of the template's source: the same in every process.
    number = getattr(parser, "per_reader_count", 0)
    parser.per_reader_count = number + 1
    name = parser.origin.template_name or f"<template without a name {id(parser)}>"
    nodelist = parser.parse(("endper_reader",))
    parser.delete_first_token()
    node = PerReaderNode(nodelist, (name, number), condition)
    _READER_NODES[node.key] = node
    return node


def _reader_node(template_name: str, number: int) -> PerReaderNode:
    node = _READER_NODES.get((template_name, number))
    if node is None:  # cached by another process: parse the template here
        get_template(template_name)
        node = _READER_NODES[(template_name, number)]
    return node


@filler("block")
def _fill_block(context, template_name: str, number: int, bound: dict[str, int], bindings, **_) -> str:
    node = _reader_node(template_name, number)
    with context.push({name: bindings[name][index] for name, index in bound.items()}):
        return node.nodelist.render(context)


@filler("when")
def _fill_when(context, template_name: str, number: int, bound: dict[str, int], inner, bindings, **_) -> str:
    node = _reader_node(template_name, number)
    with context.push({name: bindings[name][index] for name, index in bound.items()}):
        return fill(inner, context, bindings=bindings) if node.shown(context) else ""


@register.simple_tag(takes_context=True)
def feed_post_card(context, post) -> SafeString:
    """The card of ``post`` in the feed, from the card cache (``news.cards``)."""
    return feed_card(context, post)
