"""Tone triage of comments: which ones the inbox shows first, and why.

`classify(text)` is deterministic, offline and explainable: it looks for words of the
lexicons in `tone_lexicon.py` (French first, some English) and a few cheap signs (a
question mark, emojis, capitals, negation, ellipsis sarcasm), then decides by fixed rules:

1. hostile: an insult, a threat or dismissal, a dehumanising word, a hostile emoji, or a
   mild insult ("nuls", "minables") aimed at people or written in capitals;
2. critical: criticism, a mild insult aimed at a thing ("c'est nul"), negated praise
   ("pas top"), an expectation negated ("jamais consultés", "sans explication", "pas à la
   hauteur"), a wait that lasts ("trois semaines que j'attends"), a question that reproaches
   ("pourquoi vous n'avez pas..."), something done badly ("mal préparée"), news learnt
   elsewhere ("on l'apprend par la presse"), sarcastic praise ("Bravo... encore", "bonjour
   l'organisation"), a critical emoji (`tone_reproach` reads the constructions);
3. question: a question mark or interrogative words, with none of the above;
4. positive: praise or a positive emoji, with none of the above; praise followed by
   "mais" is a reservation, hence critical;
5. neutral: the rest (information, tags, links).

Criticism and hostility always win over praise: a hostile or critical comment labelled
positive would be hidden at the bottom of the inbox, the worst mistake triage can make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from terrain.inbox import tone_lexicon as lexicon
from terrain.inbox import tone_reproach as reproach
from terrain.inbox.tone_text import ELLIPSIS, GREETINGS, before, fold, squeeze, word_line

#: Only the beginning of a comment is read: enough to judge its tone, and a 100 kB
#: paste costs no more than a long comment.
MAX_CHARS = 5000


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    QUESTION = "question", _("Question")
    CRITICAL = "critical", _("Critical")
    HOSTILE = "hostile", _("Hostile")


#: Inbox order, lowest first. Questions and criticism wait for an answer from the
#: structure; hostile comments need moderation rather than a conversation, and come
#: after them so that a wave of trolls does not bury members' real complaints.
PRIORITY: dict[Tone, int] = {
    Tone.QUESTION: 0,
    Tone.CRITICAL: 1,
    Tone.HOSTILE: 2,
    Tone.NEUTRAL: 3,
    Tone.POSITIVE: 4,
}


@dataclass(frozen=True)
class Verdict:
    tone: Tone
    #: A short sentence in the active language naming the cues that decided.
    reason: str
    #: The cues of the deciding rule, as found: words, emojis, "?" for a question
    #: mark, "CAPS" for a comment written in capitals.
    cues: tuple[str, ...]


# Invisible characters that can hide a word from matching ("ven\u200bdus") or reorder
# its display (bidi overrides and isolates); the soft hyphen and word joiners too.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Kinds of cue, each with the rule it feeds.
INSULT, MILD, THREAT, DEHUMANISING, CRITICISM, PRAISE, QUESTION, OPENER, EXPECTED = (
    "insult",
    "mild",
    "threat",
    "dehumanising",
    "criticism",
    "praise",
    "question",
    "opener",
    "expected",
)
_KINDS = {
    INSULT: lexicon.INSULTS,
    MILD: lexicon.MILD_INSULTS,
    THREAT: lexicon.THREATS,
    DEHUMANISING: lexicon.DEHUMANISING,
    CRITICISM: lexicon.CRITICISM,
    PRAISE: lexicon.PRAISE,
    QUESTION: lexicon.QUESTION_WORDS,
    OPENER: lexicon.QUESTION_OPENERS,
    EXPECTED: lexicon.EXPECTATIONS,
}
# Kinds of cue that rules find rather than an entry alone.
NEGATED, UNMET, WAITING, REPROACH, SARCASM = "negated", "unmet", "waiting", "reproach", "sarcasm"
_CONSTRUCTION_KINDS = {
    reproach.WAITING: WAITING,
    reproach.WHY_NOT: REPROACH,
    reproach.FOR_NOTHING: CRITICISM,
    reproach.NONE_OF_IT: CRITICISM,
    reproach.BADLY: CRITICISM,
    reproach.LEARNT_ELSEWHERE: CRITICISM,
    reproach.IRONIC_HELLO: SARCASM,
    reproach.DEATH_WISH: THREAT,
    reproach.SUFFERING: CRITICISM,
}


@dataclass(frozen=True)
class _Entry:
    kind: str
    written: str  # as in the lexicon, without its notation mark
    stem: str  # folded and squeezed, what the match starts with


def _compile() -> tuple[re.Pattern[str], dict[str, _Entry]]:
    """One pattern for every entry of every lexicon, shaped as a trie of their letters.

    A flat alternation of hundreds of entries is tried entry by entry at every position
    (milliseconds per comment); a trie reads each letter once. Each entry ends with an
    empty named group, so `match.lastgroup` says which entry matched.
    """
    entries: dict[str, _Entry] = {}
    trie: dict = {}
    seen: dict[str, str] = {}
    for kind, words in _KINDS.items():
        for word in words:
            written = word.rstrip("!*")
            stem = squeeze(written)
            if not stem:
                raise ValueError(f"Empty tone lexicon entry: {word!r}")
            if stem in seen:
                raise ValueError(f"Tone lexicon entry {word!r} ({kind}) repeats one of {seen[stem]}")
            seen[stem] = kind
            name = f"e{len(entries)}"
            entries[name] = _Entry(kind=kind, written=written, stem=stem)
            ending = "" if word.endswith("!") else r"[^\W_]*" if word.endswith("*") else "(?:e|s|es|x)?"
            node = trie
            for char in stem:
                node = node.setdefault(char, {})
            node[""] = f"(?P<{name}>){ending}"

    def source(node: dict) -> str:
        # Longer entries first, so that "pas d'accord" is found rather than "pas" and "d'accord".
        branches = [re.escape(char) + source(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append(node[""])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(r"(?<![^ ])" + source(trie) + r"(?![^ ])"), entries


_PATTERN, _ENTRIES = _compile()
_NEGATIONS = frozenset(squeeze(word) for word in lexicon.NEGATIONS)
_ADDRESSED = frozenset(squeeze(word) for word in lexicon.ADDRESSED)
_SARCASM_FOLLOWERS = re.compile(
    r"(?<![^ ])(?:" + "|".join(re.escape(squeeze(word)) for word in lexicon.SARCASM_FOLLOWERS) + r")(?![^ ])"
)
_SARCASM_MARKERS = re.compile(
    r"(?<![^ ])(?:" + "|".join(re.escape(squeeze(word)) for word in lexicon.SARCASM_MARKERS) + r")(?![^ ])"
)
_RESERVATIONS = frozenset({"mais", "but"})
# Subject inversion ("faut-il", "peut-on", "y a-t-il", "peuvent-ils"): a question in French.
_INVERSION = re.compile(r"[^\W_]+-(?:t-)?(?:je|tu|il|ils|elle|elles|on)\b")
# A star inside a word hides it from matching ("f*ck", "c*nnard").
_STARS = re.compile(r"(?<=\w)\*+(?=\w)")


# Reasons: one part per rule that fired, joined with "; ".
_INSULT_MSG = _("Insult: %(cues)s")
_THREAT_MSG = _("Threat or dismissal: %(cues)s")
_DEHUMANISING_MSG = _("Dehumanising word: %(cues)s")
_HOSTILE_EMOJI_MSG = _("Hostile emoji: %(cues)s")
_CRITICISM_MSG = _("Criticism: %(cues)s")
_NEGATED_MSG = _("Negated praise: %(cues)s")
_UNMET_MSG = _("Expectation not met: %(cues)s")
_WAITING_MSG = _("Kept waiting: %(cues)s")
_REPROACH_MSG = _("Question that reproaches: %(cues)s")
_SARCASM_MSG = _("Sarcasm: %(cues)s")
_CRITICAL_EMOJI_MSG = _("Critical emoji: %(cues)s")
_RESERVATION_MSG = _("Praise with a reservation: %(cues)s")
_QUESTION_MARK_AND_MSG = _("Question mark and %(cues)s")
_QUESTION_MARK_MSG = _("Question mark")
_QUESTION_WORDS_MSG = _("Question words: %(cues)s")
_PRAISE_MSG = _("Praise: %(cues)s")
_POSITIVE_EMOJI_MSG = _("Positive emoji: %(cues)s")
_NO_CUE_MSG = _("No tone cue found")
_OUTWEIGHED_MSG = _("praise outweighed: %(cues)s")
_CAPITALS_MSG = _("written in capitals")


def _quote(cues: list[str]) -> str:
    return ", ".join(f"« {cue} »" for cue in cues)


def _emojis(text: str, characters: set[str], palette: frozenset[str]) -> list[str]:
    found = characters & palette
    return sorted(found, key=text.index) if found else []


def _shouting(text: str) -> bool:
    """Written in capitals: mostly capital letters, and enough of them to be more than an acronym."""
    letters = sum(map(str.isalpha, text))
    return letters >= 8 and sum(map(str.isupper, text)) >= 0.8 * letters


def classify(text: str) -> Verdict:
    """The tone of a comment, with the reason and the cues that decided it."""
    text = _STARS.sub("", _URL.sub(" ", _INVISIBLE.sub("", text[:MAX_CHARS])))
    folded = fold(text)
    joined = word_line(folded)
    question_mark = "?" in folded
    shouting = None  # counted only when a mild insult needs it

    spelled = reproach.Spelling(text)
    found: dict[str, list[str]] = {kind: [] for kind in (*_KINDS, NEGATED, UNMET, WAITING, REPROACH, SARCASM)}
    first_praise_end = None
    for match in _PATTERN.finditer(joined):
        entry = _ENTRIES[match.lastgroup]
        matched = match.group()
        shown = entry.written + matched[len(entry.stem) :] if matched.startswith(entry.stem) else matched
        kind = entry.kind
        if kind == PRAISE:
            negation = [word for word in before(joined, match.start(), 2) if word in _NEGATIONS]
            if negation:
                found[NEGATED].append(f"{negation[-1]} {shown}")
                continue
            rest = joined[match.end() :]
            if (ELLIPSIS in joined and _SARCASM_FOLLOWERS.search(rest)) or _SARCASM_MARKERS.search(rest):
                found[SARCASM].append(f"{shown}…")
                continue
            if first_praise_end is None:
                first_praise_end = match.end()
        elif kind == MILD:
            if shouting is None:
                shouting = _shouting(text)
            if shouting or _ADDRESSED.intersection(before(joined, match.start(), 3)):
                kind = INSULT
        elif kind == OPENER:
            previous = before(joined, match.start(), 1)
            # Inside a sentence it only names the question that a question mark makes.
            kind = QUESTION if not previous or previous[0] in GREETINGS else OPENER
        elif kind == EXPECTED:
            unmet = reproach.unmet(joined, match.start(), match.end())
            if unmet:
                found[UNMET].append(unmet[0] + spelled(matched) + unmet[1])
            continue
        found[kind].append(shown)
    for construction, cue in reproach.constructions(joined, spelled):
        found[_CONSTRUCTION_KINDS[construction]].append(cue)
    for match in _INVERSION.finditer(folded):
        if match.group() not in found[QUESTION]:
            found[QUESTION].append(match.group())
    reservation = []
    if first_praise_end is not None and not found[QUESTION] and not question_mark:
        but = next((word for word in joined[first_praise_end:].split() if word in _RESERVATIONS), None)
        if but:
            reservation.append(f"{found[PRAISE][0]} … {but}")

    characters = set(text)
    hostile_emojis = _emojis(text, characters, lexicon.HOSTILE_EMOJIS)
    critical_emojis = _emojis(text, characters, lexicon.CRITICAL_EMOJIS)
    positive_emojis = _emojis(text, characters, lexicon.POSITIVE_EMOJIS)
    praise = found[PRAISE] + positive_emojis

    def verdict(tone: Tone, parts: list[tuple[Promise, list[str]]], extra: tuple[str, ...] = ()) -> Verdict:
        parts = [(message, cues) for message, cues in parts if cues]
        reason = "; ".join(str(message) % {"cues": _quote(cues)} for message, cues in parts)
        cues = tuple(cue for _, group in parts for cue in group) + extra
        if tone in (Tone.HOSTILE, Tone.CRITICAL) and praise:
            reason += "; " + str(_OUTWEIGHED_MSG) % {"cues": _quote(praise)}
        return Verdict(tone=tone, reason=reason, cues=cues)

    if found[INSULT] or found[THREAT] or found[DEHUMANISING] or hostile_emojis:
        capitals = ("CAPS",) if shouting and found[INSULT] else ()
        result = verdict(
            Tone.HOSTILE,
            [
                (_INSULT_MSG, found[INSULT]),
                (_THREAT_MSG, found[THREAT]),
                (_DEHUMANISING_MSG, found[DEHUMANISING]),
                (_HOSTILE_EMOJI_MSG, hostile_emojis),
            ],
            capitals,
        )
        if capitals:
            result = Verdict(result.tone, f"{result.reason}; {_CAPITALS_MSG!s}", result.cues)
        return result
    critical = [
        (_CRITICISM_MSG, found[CRITICISM] + found[MILD]),
        (_NEGATED_MSG, found[NEGATED]),
        (_UNMET_MSG, found[UNMET]),
        (_WAITING_MSG, found[WAITING]),
        (_REPROACH_MSG, found[REPROACH]),
        (_SARCASM_MSG, found[SARCASM]),
        (_CRITICAL_EMOJI_MSG, critical_emojis),
        (_RESERVATION_MSG, reservation),
    ]
    if any(cues for _, cues in critical):
        return verdict(Tone.CRITICAL, critical)
    if question_mark or found[QUESTION]:
        words = found[QUESTION] + found[OPENER] if question_mark else found[QUESTION]
        if question_mark and words:
            reason = str(_QUESTION_MARK_AND_MSG) % {"cues": _quote(words)}
        elif question_mark:
            reason = str(_QUESTION_MARK_MSG)
        else:
            reason = str(_QUESTION_WORDS_MSG) % {"cues": _quote(words)}
        return Verdict(tone=Tone.QUESTION, reason=reason, cues=("?", *words) if question_mark else tuple(words))
    if praise:
        return verdict(
            Tone.POSITIVE,
            [(_PRAISE_MSG, found[PRAISE]), (_POSITIVE_EMOJI_MSG, positive_emojis)],
        )
    return Verdict(tone=Tone.NEUTRAL, reason=str(_NO_CUE_MSG), cues=())
