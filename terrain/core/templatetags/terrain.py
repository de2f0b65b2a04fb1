"""Template helpers shared by every app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _

from terrain.lib.fragments import filler, hole
from terrain.lib.urls import url_for_code, url_named

register = template.Library()


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
