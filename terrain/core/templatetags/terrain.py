"""Template helpers shared by every app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _

from terrain.core.context_processors import terrain as site_constants
from terrain.lib.fragments import (
    Skeleton,
    bound_values,
    fill,
    filler,
    hole,
    recording,
    render_nested,
    render_skeleton,
)
from terrain.lib.text import shorten as text_shorten
from terrain.lib.urls import url_for_code, url_named

register = template.Library()


def csrf_field(context) -> str:
    """What ``{% csrf_token %}`` renders (nothing without a token), built once per request: a page
    of the feed has a form on every card, and the tag costs a lazy token and ``format_html`` each time.

    In a skeleton (``lib.fragments``) the token fails loudly, as ``{% csrf_token %}`` does there."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's mark of a page without a token)
        return ""
    request = context.get("request")
    known = getattr(request, "_terrain_csrf_field", None)
    if known is not None and known[0] is token:
        return known[1]
    field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(str(token))}">'
    if request is not None:
        request._terrain_csrf_field = (token, field)
    return field


@register.filter
def shorten(value, limit: int) -> str:
    """``{{ message|shorten:60 }}``: at most 60 characters, cut between words, with "…"."""
    return text_shorten(str(value or ""), int(limit))


@register.filter
def code_url(code: str | None, name: str) -> str:
    """``{{ post.code|code_url:"news:post_detail" }}``: a fast ``{% url %}`` for views taking one code."""
    return url_for_code(name, code) if code else ""


@register.simple_tag
def url_of(name: str) -> str:
    """``{% url_of "feed:home" %}``: ``{% url "feed:home" %}`` for views without arguments, reversed
    once per process (the menu of every page has a dozen)."""
    return url_named(name)


class _Translated:
    """One of ``timesince``'s unit strings ("%(num)d hour" …), translated once per language and number:
    a feed page says how long ago two dozen times, and each plural lookup costs more than the arithmetic."""

    def __init__(self, lazy):
        self.lazy = lazy
        self.known: dict[tuple[str, int], str] = {}

    def __mod__(self, params: dict) -> str:
        key = (translation.get_language(), params["num"])
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.lazy % params
        return found


_TIME_STRINGS = {name: _Translated(lazy) for name, lazy in TIME_STRINGS.items()}


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, in words ("3 hours ago").

    The words for one date stay the same until the next instant they may change
    (``_unchanged_until``): readers of the same posts within that time get them
    from a per-process memo instead of timesince and three translations.
    """
    if not value:
        return ""
    now = timezone.now()
    key = (translation.get_language(), value)
    said = _SAID.get(key)
    if said is not None and said[0] <= now < said[1]:
        return said[2]
    words = _ago(value, now)
    until = _unchanged_until(value, now)
    if until is not None:
        if len(_SAID) >= _SAID_MAX:
            _SAID.clear()
        _SAID[key] = (now, until, words)
    return words


_SAID: dict[tuple[str, datetime], tuple[datetime, datetime, str]] = {}
_SAID_MAX = 4096
_MINUTE = timedelta(minutes=1)


def _ago(value: datetime, now: datetime) -> str:
    if now - value < _MINUTE:
        return _("just now")
    return _("%(delta)s ago") % {"delta": timesince(value, now, time_strings=_TIME_STRINGS, depth=1)}


def _unchanged_until(value: datetime, now: datetime) -> datetime | None:
    """The first instant after ``now`` at which ``_ago(value, now)`` may say something else.

    timesince counts whole minutes, hours, days and weeks from ``value`` (or from ``value``
    without its microseconds, moved by whole months), and whole months by comparing
    calendar days and times of day: its words can only change when ``now - value`` crosses
    a whole minute, with or without the microseconds, or at a whole minute of the clock
    (a month's end at midnight). None (not kept) for anything else than aware datetimes
    whose zones are whole minutes away from UTC.
    """
    if not isinstance(value, datetime) or not isinstance(now, datetime):
        return None
    for moment in (value, now):
        offset = moment.utcoffset()
        if offset is None or offset % _MINUTE:
            return None
    candidates = [now.replace(second=0, microsecond=0) + _MINUTE]
    for anchor in (value, value.replace(microsecond=0)):
        candidates.append(now + ((anchor - now) % _MINUTE or _MINUTE))
    return min(candidates)


@register.simple_tag(takes_context=True)
def moment(context, value: datetime | None, css_class: str = "") -> str:
    """``<time>`` saying how long ago, with the exact local date for machines and on hover.

    In a skeleton (``lib.fragments``) only "how long ago" is left to each request.
    """
    if not value:
        return ""
    return format_html(
        '<time datetime="{}" title="{}"{}>{}</time>',
        value.isoformat(),
        date_format(timezone.localtime(value), "DATETIME_FORMAT"),
        format_html(' class="{}"', css_class) if css_class else "",
        hole(context, "ago", value) or ago(value),
    )


@filler("ago")
def _fill_ago(context, value: datetime, **_) -> str:
    return conditional_escape(ago(value))


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
    time unless the caller binds them (a card's ``comment``): used there, they fail
    loudly (``lib.fragments.Unbound``). The block may use the skeleton's own variables
    (a card's ``post``, ``in_cooperative``; the values of ``{% same_for_everyone %}``)
    and the page's."""
    bits = token.split_contents()
    if len(bits) not in (1, 3) or (len(bits) == 3 and bits[1] != "when"):
        raise template.TemplateSyntaxError("Use {% per_reader %} or {% per_reader when <condition> %}")
    condition = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    key = _place(parser, "per_reader")
    nodelist = parser.parse(("endper_reader",))
    parser.delete_first_token()
    node = PerReaderNode(nodelist, key, condition)
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
    with context.push(bound_values(bound, bindings)):
        return node.nodelist.render(context)


@filler("when")
def _fill_when(context, template_name: str, number: int, bound: dict[str, int], inner, bindings, **_) -> str:
    node = _reader_node(template_name, number)
    with context.push(bound_values(bound, bindings)):
        return fill(inner, context, bindings=bindings) if node.shown(context) else ""


# The skeletons of {% same_for_everyone %} parts, by part, values and site constants: a few
# per language.
shared_parts: dict[tuple, Skeleton | None] = {}
_SHARED_PARTS_MAX = 512


class SameForEveryoneNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: tuple[str, int], values: dict):
        self.nodelist = nodelist
        self.key = key
        self.values = values

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.values.items()}
        values["LANGUAGE_CODE"] = translation.get_language()
        constants = site_constants(None)
        cache_key = (self.key, *sorted(values.items()), *sorted(constants.items()))
        if cache_key in shared_parts and not settings.DEBUG:  # templates reload while developing
            skeleton = shared_parts[cache_key]
        else:
            skeleton = render_skeleton(context.template, {**constants, **values}, part=self.nodelist)
            if len(shared_parts) < _SHARED_PARTS_MAX:
                shared_parts[cache_key] = skeleton
        with context.push(values):
            if skeleton is None:  # a marker in the values: render as usual
                return self.nodelist.render(context)
            return fill(skeleton, context)


@register.tag
def same_for_everyone(parser, token):
    """``{% same_for_everyone nav=nav signed_in=user.is_authenticated %}…{% endsame_for_everyone %}``:
    a part of a page (the menu, the footer) rendered once per process for each set of values
    and language, then reused for every request, its ``{% per_reader %}`` blocks filled in for
    each reader (``lib.fragments``).

    The part sees only its values (each hashable: a name, a boolean), ``LANGUAGE_CODE`` and the
    site's constants (``SITE_NAME``…), never the request or the member: anything that differs
    between readers goes in a ``{% per_reader %}`` block, which sees the page's whole context.
    A ``{% csrf_token %}`` outside one fails loudly."""
    bits = token.split_contents()[1:]
    values = {}
    for bit in bits:
        name, equals, expression = bit.partition("=")
        if not equals or not name.isidentifier():
            raise template.TemplateSyntaxError("Use {% same_for_everyone name=value … %}")
        values[name] = parser.compile_filter(expression)
    key = _place(parser, "same_for_everyone")
    nodelist = parser.parse(("endsame_for_everyone",))
    parser.delete_first_token()
    return SameForEveryoneNode(nodelist, key, values)


def _place(parser, tag: str) -> tuple[str, int]:
    """Where a ``tag`` block sits: its template's name and its number among the template's
    ``tag`` blocks, in the order of the source (the same in every process)."""
    counts = parser.__dict__.setdefault("terrain_block_counts", {})
    number = counts.get(tag, 0)
    counts[tag] = number + 1
    return parser.origin.template_name or f"<template without a name {id(parser)}>", number
