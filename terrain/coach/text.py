"""The draft cut into what the checks look at: links, mentions and hashtags set aside,
words, capitalised tokens and sentences, all with their offsets in the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from terrain.lib.text import fold

URL = re.compile(r"(?:https?://|www\.)[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]']", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# @name, or @name@instance for the fediverse, or @handle.bsky.social.
MENTION = re.compile(r"(?<![\w.])@[\w.-]*\w(?:@[\w-]+(?:\.[\w-]+)+)?")
HASHTAG = re.compile(r"(?<![\w#&/])#\w+")
# A word as a reader sees it: "inscrivez-vous", "C.S.E", "AT/MP", "CSE-C" are one token.
TOKEN = re.compile(r"[^\W_](?:\w|[./&·-](?=[^\W_]))*")
# Inclusive endings belong to their word: "adhérent·es", "salarié.es" are one word each.
WORD = re.compile(r"\w+(?:(?:['’·-]|\.(?=[a-zà-ÿ]{1,3}\b))\w+)*")
# A sentence ends at . ! ? … (possibly repeated, possibly followed by a closing quote) or a line break.
SENTENCE_END = re.compile(r"(?<=[.!?…])[»\")\]]*\s+|\n+")


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


def is_capitals(token: str) -> bool:
    """Two letters or more and every letter a capital ("CSE", "C.S.E", "GRÈVE")."""
    letters = [char for char in token if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


@dataclass
class Draft:
    text: str
    masked: str = field(init=False)
    urls: list[Span] = field(init=False)
    hashtags: list[Span] = field(init=False)

    def __post_init__(self) -> None:
        self.urls = [Span(m.group(), m.start(), m.end()) for m in URL.finditer(self.text)]
        chars = list(self.text)

        def blank(spans) -> None:
            for span in spans:
                chars[span.start : span.end] = " " * (span.end - span.start)

        blank(self.urls)
        # Links go first so that "https://x.org/#vote" is not read as a hashtag.
        without_links = "".join(chars)
        emails = [Span(m.group(), m.start(), m.end()) for m in EMAIL.finditer(without_links)]
        blank(emails)
        self.hashtags = [Span(m.group(), m.start(), m.end()) for m in HASHTAG.finditer("".join(chars))]
        mentions = [Span(m.group(), m.start(), m.end()) for m in MENTION.finditer("".join(chars))]
        blank(self.hashtags)
        blank(mentions)
        self.masked = "".join(chars)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def prose(self) -> str:
        """The masked text without accents nor capitals, character for character, so that
        a match found in it points at the same place in ``text``."""
        return "".join(_fold_char(char) for char in self.masked)

    @cached_property
    def tokens(self) -> list[Span]:
        return [Span(m.group(), m.start(), m.end()) for m in TOKEN.finditer(self.masked)]

    @cached_property
    def words(self) -> list[Span]:
        return [Span(m.group(), m.start(), m.end()) for m in WORD.finditer(self.masked)]

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences of the prose, links and hashtags left out; a line is at most one sentence."""
        found: list[Span] = []
        start = 0
        for match in [*SENTENCE_END.finditer(self.masked), None]:
            chunk = self.masked[start : match.start() if match else len(self.masked)]
            if WORD.search(chunk):
                lead = len(chunk) - len(chunk.lstrip())
                trimmed = chunk.strip()
                found.append(
                    Span(
                        self.text[start + lead : start + lead + len(trimmed)], start + lead, start + lead + len(trimmed)
                    )
                )
            if match:
                start = match.end()
        return found


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    if char in "’ʼ‘":
        return "'"
    if char.isspace():
        return " "
    folded = fold(char)
    # "œ" folds to two letters: keep the first so that offsets stay true.
    return folded[0] if folded else char
