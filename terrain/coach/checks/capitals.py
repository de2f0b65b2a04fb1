"""Words in capitals: an acronym a reader may not know, or a run of shouted words.

The same token can be either ("NAO" is an acronym, "NON" a shout), so both checks share
one reading of the capitals of the draft.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from terrain.coach.lexicon import BUILTIN, KNOWN_NAMES
from terrain.coach.text import Draft, Span, is_capitals
from terrain.coach.types import WARNING, Flag
from terrain.lib.text import fold

ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Short French words that people put in capitals to insist: a shout, not an acronym.
_EMPHASIS_WORDS = """
NON OUI TOUS TOUTES TOUT STOP URGENT GREVE VOTEZ VENEZ SIGNEZ RAPPEL INFO INFOS ALERTE PAS NOUS
VOUS ET LE LA LES DE DES DU EN AU AUX UN UNE POUR SUR AVEC SANS PLUS MOINS JOUR DEMAIN LUNDI
MARDI JEUDI SAMEDI MERCI BRAVO GAGNE ENFIN ICI VITE FIN MARS MAI JUIN AVRIL TOP HONTE ASSEZ
BASTA SALUT ALLEZ GO DATE LIEN VOTE VOTES MOI ON IL ILS ELLE NE CE CA QUI QUE EST SONT NOS VOS
LEUR NOTRE VOTRE ENCORE RIEN TOUJOURS JAMAIS DIRE PAYER FAIRE ARRET ARRETEZ NEWS AIDE HELP OSEZ
LUTTE LUTTER GAGNER DROIT DROITS
"""
EMPHASIS = frozenset(_EMPHASIS_WORDS.split())
# A post may say what "XYZ" means right there: "XYZ (les mots)", "les mots (XYZ)", "XYZ = les mots".
# Not "XYZ : la direction...", where the colon opens the news, not a definition.
EXPLAINED_AFTER = re.compile(r"^[\s»\"”]*(?:\(\s*[^\W\d_A-Z]|=)")


@dataclass(frozen=True)
class Capital:
    span: Span
    key: str
    kind: str  # "known", "name", "unknown" or "word"


def _key(token: str) -> str:
    return token.replace(".", "").upper()


def _lexicon(extra: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(BUILTIN)
    merged.update({_key(key): value for key, value in (extra or {}).items()})
    return merged


def read_capitals(draft: Draft, lexicon: Mapping[str, str]) -> list[Capital]:
    """Every token in capitals of the draft, with what it most likely is."""
    found: list[Capital] = []
    run: list[Capital] = []

    def close_run() -> None:
        # Two shouted words side by side are a shout even if each could be an acronym.
        loud = [c for c in run if c.kind in ("word", "unknown") or (c.kind == "known" and c.key in EMPHASIS)]
        if len([c for c in loud if c.kind != "known"]) >= 2:
            loud_ids = {id(c) for c in loud}
            found.extend(Capital(c.span, c.key, "word") if id(c) in loud_ids else c for c in run)
        else:
            found.extend(run)
        run.clear()

    previous_end = 0
    for token in draft.tokens:
        letters = [char for char in token.text if char.isalpha()]
        if any(char.islower() for char in letters):
            close_run()
            previous_end = token.end
            continue
        if re.search(r"[^\W\d_]", draft.masked[previous_end : token.start]) is not None:
            close_run()
        previous_end = token.end
        if not is_capitals(token.text):
            continue  # a digit or a single capital letter ("À") does not break a run
        key = _key(token.text)
        if key in lexicon:
            kind = "known" if lexicon[key] else "name"
        elif key in KNOWN_NAMES:
            kind = "name"
        elif (
            len(letters) <= 6
            and fold(key).upper() == key
            and fold(key).upper() not in EMPHASIS
            and not ROMAN.match(key)
        ):
            kind = "unknown"
        else:
            kind = "word"
        run.append(Capital(token, key, kind))
    close_run()
    return found


def _explained(draft: Draft, capital: Capital, expansion: str) -> bool:
    # A few words around are enough, and keep a long draft with many acronyms linear.
    before = draft.text[max(0, capital.span.start - 20) : capital.span.start].rstrip(" «“\"'’")
    after = draft.text[capital.span.end : capital.span.end + 20].lstrip(' »”"')
    if re.search(r"\(\s*(?:(?:le|la|les|l'|l’)\s*)?$", before, re.IGNORECASE) and after.startswith(")"):
        return True  # "les mots (XYZ)"
    if EXPLAINED_AFTER.match(after):
        return True
    if not expansion:
        return False
    # The expansion itself, give or take a plural, an inclusive ending or a word in between.
    words = [w for w in re.findall(r"\w+", fold(re.sub(r"·\w+|\(.*?\)", "", expansion))) if len(w) >= 3]
    if not words:
        return False
    pattern = r"\b" + r"\w*\W+(?:\w+\W+){0,2}?".join(re.escape(w) for w in words)
    return re.search(pattern, draft.folded) is not None


def acronyms(draft: Draft, *, lexicon: Mapping[str, str] | None, **_inputs) -> list[Flag]:
    merged = _lexicon(lexicon)
    flags: list[Flag] = []
    seen: set[str] = set()
    for capital in read_capitals(draft, merged):
        if capital.kind not in ("known", "unknown") or capital.key in seen:
            continue
        expansion = merged.get(capital.key, "")
        if _explained(draft, capital, expansion):
            seen.add(capital.key)
            continue
        seen.add(capital.key)
        if expansion:
            message = _(
                "“%(acronym)s” is an acronym: colleagues who are not activists, and the public, may not know it. "
                "A post that everyone understands is shared further."
            ) % {"acronym": capital.span.text}
            suggestion = _("Write “%(expansion)s (%(acronym)s)”.") % {
                "expansion": expansion,
                "acronym": capital.span.text,
            }
        else:
            message = _(
                "“%(acronym)s” looks like an acronym: readers who do not know it stop there, "
                "and a screen reader spells it out letter by letter."
            ) % {"acronym": capital.span.text}
            suggestion = _(
                "Write the words in full the first time, followed by the acronym in brackets, "
                "or add it to your structure's lexicon."
            )
        flags.append(
            Flag(
                code="acronym",
                severity=WARNING,
                message=message,
                suggestion=suggestion,
                excerpt=capital.span.text,
                start=capital.span.start,
                end=capital.span.end,
                replacement=f"{expansion} ({capital.span.text})" if expansion else None,
            )
        )
    return flags


def _in_ordinary_letters(draft: Draft, capitals: list[Capital], start: int, end: int) -> str:
    """``draft.text[start:end]`` with its shouted words lowered (acronyms kept), a sentence's first letter kept."""
    pieces, position = [], start
    for capital in capitals:
        if capital.kind == "word" and start <= capital.span.start and capital.span.end <= end:
            word = capital.span.text.lower()
            before = draft.text[: capital.span.start].rstrip(" «“\"'")
            if not before or before[-1] in ".!?…\n":
                word = word[:1].upper() + word[1:]
            pieces += [draft.text[position : capital.span.start], word]
            position = capital.span.end
    return "".join(pieces) + draft.text[position:end]


def shouting(draft: Draft, *, lexicon: Mapping[str, str] | None, **_inputs) -> list[Flag]:
    capitals = read_capitals(draft, _lexicon(lexicon))
    words = [c for c in capitals if c.kind == "word"]
    # Runs of shouted words: consecutive "word" capitals with no lower-case word between.
    runs: list[list[Capital]] = []
    for capital in words:
        if runs and not re.search(r"[a-zà-ÿ]", draft.masked[runs[-1][-1].span.end : capital.span.start]):
            runs[-1].append(capital)
        else:
            runs.append([capital])
    loud_runs = [run for run in runs if len(run) >= 2]
    if not loud_runs and len(words) < 3:
        return []
    first = loud_runs[0] if loud_runs else words
    start, end = first[0].span.start, first[-1].span.end
    if not loud_runs:
        end = first[0].span.end
    return [
        Flag(
            code="shouting",
            severity=WARNING,
            message=_(
                "Words in capitals read as shouting, are harder to read, and screen readers may spell them "
                "out letter by letter."
            ),
            suggestion=_("Write in ordinary letters; to stress one word, put it at the start of the sentence."),
            excerpt=draft.text[start:end],
            start=start,
            end=end,
            replacement=_in_ordinary_letters(draft, capitals, start, end),
        )
    ]
