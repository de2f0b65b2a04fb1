"""French analysis of text and queries, the same for every database.

Text is folded (``lib.text.fold``: no accents, no case), cut into words (an elided article or
pronoun, "l'", "d'", "qu'", goes with its apostrophe) and each word is reduced to its Snowball
French stem: "négociations" and "négocier" both give "negoci". SQLite indexes these stems;
PostgreSQL's ``french`` configuration runs the same Snowball stemmer over the same folded text.

A query is parsed here, never handed to a full-text engine as typed: words (all must match),
"a phrase in quotes", a leading minus to exclude a word. Anything else is punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from terrain.lib.text import fold

# Longer queries are cut: nobody types more, and the engines need not see it.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_WORD = re.compile(r"[a-z0-9]+")
# A French elision: "l'", "d'", "qu'", "jusqu'"… before a word.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[a-z0-9])")

# Words too common to tell documents apart: left out of a query (PostgreSQL's ``french``
# configuration leaves them out of its index too). A query of nothing else keeps them.
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "a",
        "m",
        "n",
        "s",
        "t",
        "y",
        "ete",
        "est",
        "sont",
        "etait",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str | None) -> list[str]:
    """The folded words of ``text``, elisions taken off: "L'Assemblée d'été" -> ["assemblee", "ete"]."""
    folded = _ELISION.sub(" ", fold(text))
    return _WORD.findall(folded)


def stems(text: str | None) -> str:
    """The stems of ``text``, space-separated: what the SQLite index stores."""
    return " ".join([stem(word) for word in words(text)])


@dataclass
class Query:
    """A parsed query: terms that must all be there (a term is one word or a phrase's words)
    and words that must not."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.required)

    @property
    def highlight(self) -> set[str]:
        """The stems whose words the snippets mark."""
        return {stem(word) for term in self.required for word in term}


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(raw: str | None) -> Query:
    """``raw`` as typed -> a ``Query``; never raises. Stop words are dropped from plain words
    unless the query has nothing else; phrases keep theirs."""
    text = (raw or "")[:MAX_QUERY_LENGTH]
    text = text.replace("“", '"').replace("”", '"').replace("«", '"').replace("»", '"')
    phrases: list[list[str]] = []
    plain: list[str] = []
    excluded: list[str] = []
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if phrase is not None:
            found = words(phrase)
            if not found:
                continue
            if minus:
                excluded.extend(w for w in found if w not in STOP_WORDS)
            elif len(found) == 1:
                plain.append(found[0])
            else:
                phrases.append(found)
            continue
        negative = bare.startswith("-") and len(bare) > 1
        found = words(bare[1:] if negative else bare)
        if negative:
            excluded.extend(w for w in found if w not in STOP_WORDS)
        else:
            plain.extend(found)
    meaningful = [w for w in plain if w not in STOP_WORDS]
    if meaningful or phrases:
        plain = meaningful
    required = [[w] for w in dict.fromkeys(plain)] + phrases
    return Query(required=required[:MAX_TERMS], excluded=list(dict.fromkeys(excluded))[:MAX_TERMS])
