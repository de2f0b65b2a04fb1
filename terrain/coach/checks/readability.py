"""Readability for all: the Kandel–Moles score (Flesch adapted to French) and sentences
too long to follow on a phone.

L = 207 − 1.015 × (words per sentence) − 0.736 × (syllables per 100 words).
Syllables are counted with a vowel-group rule tuned for French: it is offline,
deterministic and, unlike hyphenation dictionaries, counts "été" or "réunion" right.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from terrain.coach.text import WORD, Draft
from terrain.coach.types import WARNING, Flag

# Below this score the text is "difficult" on Kandel and Moles' scale; calibrated on
# the corpus (see terrain/coach/corpus and `manage.py coach_report`).
MIN_SCORE = 50
# The score is noise on a couple of lines: only judged from this many words on.
MIN_WORDS_FOR_SCORE = 30
MAX_SENTENCE_WORDS = 25

_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"
_GROUP = re.compile(rf"[{_VOWELS}]+")


def syllables(word: str) -> int:
    """Spoken syllables of a French word, near enough for a readability score."""
    word = word.lower().replace("’", "'").split("'")[-1]
    if not word or word.isdigit():
        return max(1, len(word) // 2) if word else 0
    # "qu" and "gu" before a vowel: the u is not heard ("question", "guerre").
    word = re.sub(r"([qg])u(?=[aeiouyéèê])", r"\1", word)
    # A silent final e (or es, ent after a vowel group): "grève", "salariées"; not "le".
    stripped = re.sub(r"(?<=[^aeiouyéèê])(?:e|es)$", "", word)
    count = 0
    for group in _GROUP.findall(stripped if _GROUP.search(stripped) else word):
        # "é" or "è" followed by another vowel is a syllable of its own ("ré-u-nion", "pé-age").
        count += 1 + len(re.findall(r"[éè](?=[aeiouyàâéèêîôû])", group))
    return max(count, 1)


def kandel_moles(draft: Draft) -> tuple[float, int] | None:
    """(score, words) of the prose of the draft, or None when it has no words."""
    words = [w.text for w in draft.words]
    if not words:
        return None
    sentences = max(1, len(draft.sentences))
    per_sentence = len(words) / sentences
    per_hundred = 100 * sum(syllables(w) for w in words) / len(words)
    return 207 - 1.015 * per_sentence - 0.736 * per_hundred, len(words)


def hard_to_read(draft: Draft, **_inputs) -> list[Flag]:
    flags: list[Flag] = []
    for sentence in draft.sentences:
        count = len(WORD.findall(draft.masked[sentence.start : sentence.end]))
        if count > MAX_SENTENCE_WORDS:
            flags.append(
                Flag(
                    code="hard_to_read",
                    severity=WARNING,
                    message=_(
                        "This sentence has %(count)d words. Past about %(limit)d words, many readers lose the "
                        "thread, especially on a phone or when French is not their first language."
                    )
                    % {"count": count, "limit": MAX_SENTENCE_WORDS},
                    suggestion=_("Cut it in two or three short sentences, one piece of information each."),
                    excerpt=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                )
            )
    measured = kandel_moles(draft)
    if measured and measured[1] >= MIN_WORDS_FOR_SCORE and measured[0] < MIN_SCORE and not flags:
        flags.append(
            Flag(
                code="hard_to_read",
                severity=WARNING,
                message=_(
                    "The text is hard to read (readability score %(score)d, easy from 60 up): long sentences and "
                    "long words tire the reader, who scrolls on."
                )
                % {"score": round(measured[0])},
                suggestion=_("Use shorter sentences and everyday words: “salaire” rather than “rémunération”."),
            )
        )
    return flags
