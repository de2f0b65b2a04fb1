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
    """How long ago, in words ("3 hours ago")."""
    if not value:
        return ""
    now = timezone.now()
    if now - value < timedelta(minutes=1):
        return _("just now")
    return _("%(delta)s ago") % {"delta": timesince(value, now, time_strings=_TIME_STRINGS, depth=1)}


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
