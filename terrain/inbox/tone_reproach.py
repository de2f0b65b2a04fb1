"""Criticism without a word of blame: what `tone.classify` reads beyond single entries.

Much of what members say to their union blames nobody in words: "on n'a jamais été
consultés", "ça fait trois semaines que j'attends", "pourquoi vous n'avez pas relayé la
grève ?", "AG mal préparée", "on l'apprend par la presse", "bonjour l'organisation". These
are constructions, read here on the folded line of words (`tone_text.word_line`), each
with its look-alikes that are no reproach ("n'hésitez pas à nous prévenir", "pas encore
répondu", "je me suis mal exprimé", "Bonjour les camarades").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from terrain.inbox import tone_lexicon as lexicon
from terrain.inbox.tone_text import GREETINGS, before, squeeze


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
# "Sans" + a possessive is thanks, not a lack: "sans vos explications je n'aurais rien compris".
_POSSESSIVES = frozenset({"votre", "vos", "ton", "ta", "tes", "leur", "leurs"})

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
    advice ("n'hésitez pas à nous prévenir") nor thanks ("sans vos explications"); or,
    spoken, right after the word. The writer's own doing is no reproach ("je ne pourrai
    pas répondre").
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
            if word == "sans" and distance and clause[distance - 1] in _POSSESSIVES:
                return None
            written = "n'" if word == "n" else word
            return (f"{written} " if distance == 0 else f"{written} … "), ""
    after = line[end : end + 24].split()[:2]
    if after and after[0] in _NEGATIONS_AFTER and not (len(after) > 1 and _one_of(after[1], _BLOCKERS)):
        return "", f" {after[0]}"
    return None


def _alternation(*words: str) -> str:
    return "(?:" + "|".join(re.escape(squeeze(word)) for word in words) + ")"


# Words are folded and squeezed on the line: "attends" is "atends" there, hence
# `_alternation`. A wait that is counted: "ça fait trois semaines que j'attends", "deux ans
# qu'on réclame"; or that goes on: "on attend toujours", "j'attends depuis juin" (but "on
# attend encore quelques collègues" is no complaint).
_WAITING_VERBS = _alternation("attend", "demand", "réclam", "relanc")
_WAITED_SINCE = re.compile(
    r"(?<![^ ])(?P<since>"
    + _alternation("jours", "semaines", "mois", "ans", "années", "longtemps")
    + r") (?:que|qu) (?:[a-z0-9]+ ){0,3}?(?P<verb>"
    + _WAITING_VERBS
    + r"[a-z]*)(?![^ ])"
)
_STILL_WAITING = re.compile(
    r"(?<![^ ])" + _WAITING_VERBS + r"[a-z]* " + _alternation("toujours", "depuis") + r"(?![^ ])"
)
# A "pourquoi" question whose subject did not do something: "pourquoi vous n'avez pas
# relayé", "pourquoi personne ne répond", "pourquoi le syndicat n'a pas réagi". Without such
# a subject it asks ("pourquoi l'AG n'est pas retransmise ?"); in the conditional it
# suggests ("pourquoi on ne ferait pas une caisse commune ?").
_WHY_NOT = re.compile(
    r"(?<![^ ])pourquoi (?:[a-z0-9]+ ){0,2}?(?P<who>"
    + _alternation("vous", "on", "personne", "syndicat", "section", "délégués", "élus", "you")
    + r") (?:[a-z0-9]+ ){0,2}?"
    + _alternation("ne", "n", "pas", "jamais", "rien", "personne", "aucun", "aucune", "not", "never", "didn")
    + r"(?: [a-z0-9]+)?(?![^ ])"
)
_CONDITIONAL = re.compile(r"[a-z]{2}(?:rait|raient|rions|riez)(?![^ ])")
# Good for nothing: "ne sert strictement à rien", "ça ne mène à rien", "n'aboutit à rien".
# Not "à rien" alone: folded, it is also "a rien" ("il n'y a rien à signaler").
_GOOD_FOR_NOTHING = re.compile(
    r"(?<![^ ])"
    + _alternation(
        *("sert", "servent", "servira", "servir", "mène", "mènent", "mènera", "mener"),
        *("aboutit", "aboutissent", "aboutira", "aboutir", "ressemble", "ressemblent", "rime"),
    )
    + r" (?:[a-z]+ )?a rien(?![^ ])"
)
# None of what was promised: "des promesses, on n'en a vu aucune", "des réponses, je n'en
# ai eu aucune" ("aucune" closes the clause: not "je n'en ai aucune idée").
_NONE_OF_IT = re.compile(r"(?<![^ ])n en (?:[a-z0-9]+ ){1,3}?aucune?(?= [|~]|$)")
# Something done badly: "mal" and a past participle ("mal préparée", "mal payés", "mal
# foutu"), but not "pas mal".
_BADLY = re.compile(r"(?<![^ ])(?<!pas )mal [a-z]{2,}(?:e|es|i|is|u|us|t|ts)(?![^ ])")
# News learnt elsewhere than from the structure: "on l'apprend par la presse", "appris par
# hasard".
_LEARNT_ELSEWHERE = re.compile(
    r"(?<![^ ])(?P<learnt>apren[a-z]*|apris) (?:[a-z0-9]+ ){0,4}?(?P<source>par (?:la |le |les |l |des )?"
    + _alternation("presse", "direction", "journal", "journaux", "radio", "télé", "médias", "facebook", "hasard")
    + r")(?![^ ])"
)
# "Bonjour" + an article and a word or two closing the clause, after the first words, is no
# greeting but an ironic exclamation: "Réunion annulée une heure avant, bonjour l'organisation".
_IRONIC_HELLO = re.compile(r"(?<=[|~] )bonjour (?:l|la|le|les) [a-z0-9]+(?: [a-z0-9]+)?(?= [|~]|$)")

# Death wished on someone: "crève" or "crevez" opening a clause (the imperative: "Crève,
# sale gauchiste", "Crevez avec votre grève"), or after "qu'ils", "que tu" (the subjunctive:
# "qu'ils crèvent"). Followed by "de" or "sous" it is suffering, not a wish ("crève de faim").
_NOT_SUFFERING = r"(?![^ ])(?! (?:de|d|sous)(?![^ ]))"
_DEATH_WISH = re.compile(
    r"(?:(?:^|(?<=[|~] ))(?:creve|crevez)|(?<![^ ])(?:qu "
    + _alternation("il", "ils", "elle", "elles")
    + r" crevent|que tu creves|que vous creviez))"
    + _NOT_SUFFERING
)
# Suffering told of oneself or of colleagues: "on crève de chaud", "les agents crèvent sous
# la charge", "vous nous laissez crever". A complaint, and one to answer; not "crever de
# rire", "d'envie", "d'impatience".
_SUFFERING = re.compile(
    r"(?<![^ ])(?:crev(?:e|es|ons|ez|ent|ait|aient|er) (?:de|d|sous)|lais[a-z]* (?:[a-z]+ )?crever)(?![^ ])"
    r"(?! (?:rire|envie|impatience)(?![^ ]))"
)

# The constructions, as `constructions` names them.
WAITING, WHY_NOT, FOR_NOTHING, NONE_OF_IT, BADLY, LEARNT_ELSEWHERE, IRONIC_HELLO, DEATH_WISH, SUFFERING = (
    "waiting",
    "why_not",
    "for_nothing",
    "none_of_it",
    "badly",
    "elsewhere",
    "ironic_hello",
    "death_wish",
    "suffering",
)


def constructions(line: str, spelled: Spelling) -> Iterator[tuple[str, str]]:
    """(construction, cue as written) for each reproach construction of the folded `line`."""
    for match in _WAITED_SINCE.finditer(line):
        yield WAITING, f"{spelled(match.group('since'))} … {spelled(match.group('verb'))}"
    for match in _STILL_WAITING.finditer(line):
        yield WAITING, spelled(match.group())
    if "pourquoi" in line:
        for match in _WHY_NOT.finditer(line):
            if not _CONDITIONAL.search(line, match.start(), match.end() + 20):
                yield WHY_NOT, "pourquoi … " + spelled(line[match.start("who") : match.end()])
    if "a rien" in line:
        for match in _GOOD_FOR_NOTHING.finditer(line):
            yield FOR_NOTHING, spelled(match.group())
    if "aucun" in line:
        for match in _NONE_OF_IT.finditer(line):
            yield NONE_OF_IT, spelled(match.group())
    if "mal " in line:
        for match in _BADLY.finditer(line):
            if not _of_oneself(before(line, match.start(), 6)):
                yield BADLY, spelled(match.group())
    if " par " in line:
        for match in _LEARNT_ELSEWHERE.finditer(line):
            yield LEARNT_ELSEWHERE, spelled(match.group("learnt")) + " … " + spelled(match.group("source"))
    if "bonjour" in line:
        for match in _IRONIC_HELLO.finditer(line):
            if GREETINGS.isdisjoint(line[: match.start()].split()):
                yield IRONIC_HELLO, spelled(match.group())
    if "crev" in line:
        for match in _DEATH_WISH.finditer(line):
            yield DEATH_WISH, spelled(match.group())
        for match in _SUFFERING.finditer(line):
            yield SUFFERING, spelled(match.group())


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
