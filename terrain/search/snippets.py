"""Highlighted snippets, made in Python from the documents' original text (not the stems),
the same on every database: the words whose stem the query asked for go in ``<mark>``."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from terrain.lib.text import fold
from terrain.search.analysis import stem

_WORD = re.compile(r"\w+")
SNIPPET_LENGTH = 240


@lru_cache(maxsize=50_000)
def _stem_of(word: str) -> str:
    folded = fold(word)
    # A word that folds into several ("Œuvre" stays one; "ﬁn" too) is compared whole.
    return stem(folded) if folded else ""


def _matches(word: str, wanted: set[str]) -> bool:
    return _stem_of(word) in wanted


def highlight(text: str, wanted: set[str]) -> SafeString:
    """``text`` escaped, its matching words marked."""
    out, last = [], 0
    for match in _WORD.finditer(text):
        if _matches(match.group(), wanted):
            out += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def snippet(text: str, wanted: set[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around its first matching word, marked."""
    text = " ".join(text.split()) if len(text) < 4 * length else text
    first = None
    for match in _WORD.finditer(text):
        if _matches(match.group(), wanted):
            first = match.start()
            break
    if first is None:
        first = 0
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    piece = " ".join(text[start:end].split())
    marked = highlight(piece, wanted)
    return mark_safe(("…" if start else "") + marked + ("…" if end < len(text) else ""))  # noqa: S308
