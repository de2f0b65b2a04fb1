"""The parity of a candidate list (Code du travail, article L2314-30), as a pure function.

For each college, a list holds as many women and men as their share of the college's
electorate, computed on the number of candidates the list presents and rounded
arithmetically (a decimal of .5 or more up, less than .5 down). When that rounding leaves
no place to a sex present in the electorate, the list may carry one candidate of that sex,
who cannot head the list. From the top, candidates alternate one of each sex until one sex
is exhausted. A list presents no more candidates than seats to fill.

This is a reading of the text and of its usual examples, not legal advice: the protocol
signed on site and the courts have the last word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WOMAN = "F"
MAN = "M"


def round_half_up(value: Fraction) -> int:
    """Arithmetic rounding: 2.5 → 3, 2.4 → 2 (exact, no floating point surprise)."""
    whole = value.numerator // value.denominator
    return whole + 1 if value - whole >= Fraction(1, 2) else whole


@dataclass(frozen=True)
class ParityResult:
    #: Compositions (women, men) the list may have for its number of candidates.
    allowed: tuple[tuple[int, int], ...]
    women: int
    men: int
    problems: list[str] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return not self.problems and self.women + self.men > 0


def _people(women: int, men: int) -> str:
    return _("%(women)s and %(men)s") % {
        "women": ngettext("%(count)d woman", "%(count)d women", women) % {"count": women},
        "men": ngettext("%(count)d man", "%(count)d men", men) % {"count": men},
    }


def allowed_compositions(*, candidates: int, electorate_women: int, electorate_men: int) -> tuple[tuple[int, int], ...]:
    """The (women, men) a list of ``candidates`` may have, first the plain rule's."""
    total = electorate_women + electorate_men
    if candidates <= 0 or total <= 0:
        return ()
    exact_women = Fraction(candidates * electorate_women, total)
    exact_men = Fraction(candidates * electorate_men, total)
    women, men = round_half_up(exact_women), round_half_up(exact_men)
    options: list[tuple[int, int]] = []
    if women + men == candidates:
        options.append((women, men))
    else:  # both exactly .5 (an odd list in a half-and-half college): either sex takes the odd place
        options += [(women, candidates - women), (candidates - men, men)]
    # The exception: a sex present in the electorate but rounded to none may have one candidate.
    for count_women, count_men in list(options):
        if count_men == 0 and electorate_men > 0 and candidates > 1:
            options.append((candidates - 1, 1))
        if count_women == 0 and electorate_women > 0 and candidates > 1:
            options.append((1, candidates - 1))
    return tuple(dict.fromkeys(options))


def _ordinal(place: int) -> str:
    if place == 1:
        return _("1st")
    if place % 10 == 2 and place % 100 != 12:
        return _("%(place)dnd") % {"place": place}
    if place % 10 == 3 and place % 100 != 13:
        return _("%(place)drd") % {"place": place}
    if place % 10 == 1 and place % 100 != 11:
        return _("%(place)dst") % {"place": place}
    return _("%(place)dth") % {"place": place}


def check_list(genders: Sequence[str], *, seats: int, electorate_women: int, electorate_men: int) -> ParityResult:
    """Check a list given the sexes of its candidates from the top ("F"/"M")."""
    genders = [g for g in genders if g in (WOMAN, MAN)]
    women, men = genders.count(WOMAN), genders.count(MAN)
    candidates = women + men
    allowed = allowed_compositions(
        candidates=candidates, electorate_women=electorate_women, electorate_men=electorate_men
    )
    problems: list[str] = []
    if not candidates:
        return ParityResult(allowed, 0, 0, problems)
    if electorate_women + electorate_men == 0:
        problems.append(_("Enter how many women and men the college's electorate counts to check the parity."))
        return ParityResult(allowed, women, men, problems)
    if seats and candidates > seats:
        problems.append(
            ngettext(
                "No more candidates than seats: this college has %(seats)d seat to fill, "
                "the list has %(count)d candidates.",
                "No more candidates than seats: this college has %(seats)d seats to fill, "
                "the list has %(count)d candidates.",
                seats,
            )
            % {"seats": seats, "count": candidates}
        )
    if (women, men) not in allowed:
        needed = _(" or ").join(_people(w, m) for w, m in allowed)
        problems.append(
            _("This list of %(count)d needs %(needed)s: you have %(have)s.")
            % {"count": candidates, "needed": needed, "have": _people(women, men)}
        )
    else:
        plain = allowed[0]
        # The one candidate of a sex the rounding left out cannot head the list.
        if men == 1 and plain[1] == 0 and genders[0] == MAN:
            problems.append(_("The only man, allowed because the rounding gives none, cannot head the list."))
        if women == 1 and plain[0] == 0 and genders[0] == WOMAN:
            problems.append(_("The only woman, allowed because the rounding gives none, cannot head the list."))
    remaining = {WOMAN: women, MAN: men}
    remaining[genders[0]] -= 1
    for index in range(1, candidates):
        previous, current = genders[index - 1], genders[index]
        other = MAN if previous == WOMAN else WOMAN
        if current == previous and remaining[other] > 0:
            wanted = _("a woman") if other == WOMAN else _("a man")
            problems.append(
                _("Candidates must alternate: the %(place)s place should be %(wanted)s.")
                % {"place": _ordinal(index + 1), "wanted": wanted}
            )
            break
        remaining[current] -= 1
    return ParityResult(allowed, women, men, problems)
