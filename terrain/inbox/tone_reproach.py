"""Criticism without a word of blame: what `tone.classify` reads beyond single entries.

Much of what members say to their union blames nobody in words: "on n'a jamais été
consultés", "sans aucune explication", "pas à la hauteur". These are constructions, read
here on the folded line of words (`tone_text.word_line`), each with its look-alikes that
are no reproach ("n'hésitez pas à nous prévenir", "pas encore répondu").
"""

from __future__ import annotations

import functools
import re

from terrain.inbox import tone_lexicon as lexicon
from terrain.inbox.tone_text import before, squeeze


def _words(words: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole words, and the beginnings of the words written with a star ("hésit*")."""
    return (
        frozenset(squeeze(word) for word in words if not word.endswith("*")),
        tuple(squeeze(word[:-1]) for word in words if word.endswith("*")),
    )


def _one_of(word: str, words: tuple[frozenset[str], tuple[str, ...]]) -> bool:
    return word in words[0] or word.startswith(words[1])


_NEGATIONS = frozenset(squeeze(word) for word in (*lexicon.NEGATIONS, *lexicon.EXPECTATION_NEGATIONS))
# Spoken French drops the "ne" and puts the negation after the verb: "vous répondez jamais".
_NEGATIONS_AFTER = frozenset({"pas", "jamais", "rien", "personne", "not", "never"})
_BLOCKERS = _words(lexicon.EXPECTATION_BLOCKERS)
_ADVICE = _words(lexicon.ADVICE)

# Who speaks of themselves: "je ne pourrai pas répondre", "je me suis mal exprimé" are no
# reproach; "j'ai été mal reçue", "je suis mal payée" (passive) are.
_FIRST_PERSON = frozenset({"je", "j"})
_PASSIVE = frozenset({"ete", "suis", "etais"})
_REFLEXIVE = frozenset({"me", "m"})
_INFINITIVE_ENDINGS = ("er", "ir", "re")


def _of_oneself(clause: list[str]) -> bool:
    """Whether the clause (the words before a cue) has the writer act rather than undergo."""
    if _FIRST_PERSON.isdisjoint(clause):
        return False
    return "ete" not in clause and (_PASSIVE.isdisjoint(clause) or not _REFLEXIVE.isdisjoint(clause))


def unmet(line: str, start: int, end: int) -> tuple[str, str] | None:
    """What surrounds the expectation at `line[start:end]` to make it unmet, or None.

    ``("jamais … ", "")`` for "jamais été consultés", ``("", " jamais")`` for "répondez
    jamais". The negation comes within four words before, in the same clause, with no word
    between that undoes it ("pas encore", "jamais aussi bien", "pas besoin de") and not as
    advice ("n'hésitez pas à nous prévenir"); or, spoken, right after the word. The
    writer's own doing is no reproach ("je ne pourrai pas répondre").
    """
    clause = before(line, start, 6)
    if line[start:end].endswith(_INFINITIVE_ENDINGS) and _of_oneself(clause):
        return None
    for distance, word in enumerate(clause[:4]):
        if _one_of(word, _BLOCKERS):
            return None
        if word in _NEGATIONS:
            if any(_one_of(verb, _ADVICE) for verb in clause[distance + 1 : distance + 3]):
                return None
            written = "n'" if word == "n" else word
            return (f"{written} " if distance == 0 else f"{written} … "), ""
    after = line[end : end + 24].split()[:2]
    if after and after[0] in _NEGATIONS_AFTER and not (len(after) > 1 and _one_of(after[1], _BLOCKERS)):
        return "", f" {after[0]}"
    return None


_WORD = re.compile(r"[^\W_]+")
# Elided words, joined again to the next one: "l organisation" -> "l'organisation".
_ELIDED = re.compile(r"(?<![^ ])(qu|[cdjlmnst]) (?=[^\W\d_])")


@functools.lru_cache(maxsize=4096)
def _squeezed(word: str) -> str:
    return squeeze(word)


class Spelling:
    """Words of a comment as written, found again from their folded form, for the reasons:
    "mal prepare" is shown « mal préparée », "bonjour l organisation" « bonjour
    l'organisation ». Built on first use: most comments never need it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: dict[str, str] | None = None

    def __call__(self, folded: str) -> str:
        if self.words is None:
            self.words = {}
            for word in _WORD.findall(self.text):
                self.words.setdefault(_squeezed(word), word.lower())
        return _ELIDED.sub(r"\1'", " ".join(self.words.get(word, word) for word in folded.split()))
