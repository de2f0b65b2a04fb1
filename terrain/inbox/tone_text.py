"""A comment folded into the line of words that the tone rules read.

"Déçue… Vous êtes NUULS !" is read as "decue ~ vous etes nuls |": lower case ASCII without
accents, doubled letters squeezed, text messaging spellings written out, an ellipsis as
``~`` and any punctuation that ends a clause as ``|``, one space between tokens. Lexicon
entries are folded the same way (`squeeze`), so that both sides meet.
"""

from __future__ import annotations

import re
import unicodedata

from terrain.inbox import tone_lexicon as lexicon

# Words, an ellipsis (sarcasm, and a pause that is no sentence end), or punctuation that
# ends a clause: negation and address do not reach across it.
_TOKEN = re.compile(r"[a-z0-9]+|\.{2,}|[.!?;:,()\"]")
_REPEATS = re.compile(r"([a-z])\1+")
# Letters that Unicode does not decompose, and the apostrophes phones type.
_LETTERS = {"œ": "oe", "æ": "ae", "ø": "o", "ß": "ss", "’": "'", "ʼ": "'", "‘": "'"}
_LETTER = re.compile("|".join(_LETTERS))
_COMBINING = re.compile(r"[\u0300-\u036f]+")
# What is left out of ASCII after folding (emojis, other scripts) separates words.
_FOREIGN = re.compile(r"[^\x00-\x7f]+")
ELLIPSIS = "~"
BOUNDARY = "|"
GREETINGS = frozenset({"bonjour", "bonsoir", "salut", "hello", "hi", "coucou", "re"})


def fold(text: str) -> str:
    """`text` in lower case ASCII without accents: "Déçue…" -> "decue..."."""
    decomposed = unicodedata.normalize("NFKD", _LETTER.sub(lambda match: _LETTERS[match.group()], text.casefold()))
    return _FOREIGN.sub(" ", _COMBINING.sub("", decomposed))


def word_line(folded: str, *, sms: bool = True) -> str:
    """Words with their doubled letters squeezed and clause marks, separated by spaces."""
    tokens = _TOKEN.findall(_REPEATS.sub(r"\1", folded.replace("\n", " . ")))
    return " ".join(
        (_SMS.get(token, token) if sms else token) if token[0].isalnum() else ELLIPSIS if len(token) > 1 else BOUNDARY
        for token in tokens
    )


def squeeze(word: str) -> str:
    return word_line(fold(word), sms=False)


_SMS = {squeeze(short): squeeze(long) for short, long in lexicon.SMS.items()}


def before(line: str, start: int, count: int) -> list[str]:
    """The `count` words before `start`, within the same clause, nearest first."""
    words = line[max(0, start - 80) : start].split()
    clause: list[str] = []
    for word in reversed(words):
        if word in (BOUNDARY, ELLIPSIS) or len(clause) == count:
            break
        clause.append(word)
    return clause
