"""Reversing URLs that take one opaque code, fast.

A feed page shows some two hundred links to posts, images, comments and
profiles. ``reverse()`` walks the resolver each time; here each URL name is
reversed once per process (and script prefix) with a marker, and the code is
put in its place. Codes are lowercase letters and digits: nothing to quote.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "__code__"


@lru_cache(maxsize=512)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_MARKER]).partition(_MARKER)
    return head, tail


def url_for_code(name: str, code: str) -> str:
    """``reverse(name, args=[code])`` for views whose only argument is a code."""
    head, tail = _pattern(name, get_script_prefix())
    return f"{head}{code}{tail}"


@lru_cache(maxsize=256)
def _named(name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def url_named(name: str) -> str:
    """``reverse(name)`` for views without arguments (the menu's links on every page), once per process."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _named(name, get_script_prefix(), urlconf)
