"""Sanitising user HTML and turning plain text into safe HTML.

Everything a member writes is stored already cleaned, and cleaned again when
shown, so that a change of the allow-list applies to old content too.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape

RICH_TEXT_TAGS = {
    "p", "div", "br", "strong", "b", "em", "i", "u", "s", "del",
    "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "pre", "code",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9._-]{1,39}[a-z0-9])", re.IGNORECASE)
URL_RE = re.compile(r"(?<![\"'=])\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def sanitize_rich_text(html: str) -> str:
    """Keep formatting tags only; drop scripts, styles, event handlers and bad URLs."""
    return nh3.clean(
        html or "",
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """Text content of some HTML, for previews, search and length checks."""
    text = nh3.clean(re.sub(r"<(br|/p|/div|/li|/h\d)\s*/?>", " \n", html or "", flags=re.I), tags=set())
    # nh3 escapes what it keeps; give the reader back the characters.
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    text = text.replace("&amp;", "&").replace("&nbsp;", " ")
    return re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", "\n", text)).strip()


def plain_text_start(html: str, length: int) -> str:
    """The beginning of ``plain_text(html)``, at least its first ``length`` characters (all of it
    when shorter), for an excerpt: a long text is cleaned from a prefix cut after a tag, not
    whole (cleaning costs in proportion to the HTML; a feed card shows 200 characters)."""
    html = html or ""
    window = max(4 * length, 1000)
    if len(html) > window:
        cut = html.rfind(">", 0, window) + 1
        if cut:
            text = plain_text(html[:cut])
            # Cut text is a prefix of the whole text; the margin leaves the end's spaces out of it.
            if len(text) > length + 20:
                return text
    return plain_text(html)


def text_to_html(text: str) -> str:
    """Plain text (a comment, a bio) to safe HTML: paragraphs, line breaks, links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        escaped = escape(paragraph.strip())
        linked = URL_RE.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitize_rich_text("".join(parts))


def extract_mentions(text: str) -> set[str]:
    """Handles written as ``@handle`` in text or HTML, lower-cased."""
    return {m.group(1).lower() for m in MENTION_RE.finditer(plain_text(text) if "<" in (text or "") else text or "")}


def link_mentions(html: str, handles_to_urls: dict[str, str]) -> str:
    """Turn ``@handle`` into a link for the handles given (the ones that exist and may be seen)."""

    def replace(match: re.Match[str]) -> str:
        url = handles_to_urls.get(match.group(1).lower())
        if not url:
            return match.group(0)
        return f'<a href="{escape(url)}" class="mention">@{escape(match.group(1))}</a>'

    # Only touch text between tags, never attribute values.
    pieces = re.split(r"(<[^>]+>)", html)
    return "".join(p if p.startswith("<") else MENTION_RE.sub(replace, p) for p in pieces)
