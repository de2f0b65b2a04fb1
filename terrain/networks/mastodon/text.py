"""Text helpers for Mastodon: character counting and post fingerprints.

Counting follows Mastodon's own rule (:func:`terrain.networks.counting.count_mastodon`):
every URL counts 23 characters and ``@user@domain`` counts as ``@user``.
"""

from __future__ import annotations

import html
import re

from terrain.networks.counting import count_mastodon

URL_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
REMOTE_MENTION_RE = re.compile(r"(@[A-Za-z0-9_]+)@[A-Za-z0-9.\-]+[A-Za-z0-9]")
URL_LENGTH = 23


def count_characters(text: str) -> int:
    return count_mastodon(text)


def with_link(text: str, link: str) -> str:
    """The post text with the link appended, unless the author already wrote it."""
    if not link or link in text:
        return text
    return f"{text.rstrip()}\n\n{link}"


def html_to_text(content: str) -> str:
    """Mastodon's status HTML back to plain text (paragraphs and line breaks kept)."""
    content = re.sub(r"<br\s*/?>", "\n", content)
    content = re.sub(r"</p>\s*<p>", "\n\n", content)
    return html.unescape(re.sub(r"<[^>]+>", "", content))


def fingerprint(text: str) -> str:
    """What identifies a post's text across the network's rewriting (links, spaces, case)."""
    text = URL_RE.sub("", text)
    return re.sub(r"\s+", "", text).casefold()
