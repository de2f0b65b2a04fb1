"""The parity check of a candidate list (article L2314-30), on the law's usual examples."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import translation

from terrain.elections.parity import allowed_compositions, check_list, round_half_up


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def check(genders: str, *, seats: int = 10, women: int = 60, men: int = 40):
    return check_list(list(genders), seats=seats, electorate_women=women, electorate_men=men)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(Fraction(5, 2), 3), (Fraction(12, 5), 2), (Fraction(8, 25), 0), (Fraction(1, 2), 1), (Fraction(3), 3)],
)
def test_arithmetic_rounding(value, rounded):
    assert round_half_up(value) == rounded


@pytest.mark.parametrize(
    ("candidates", "women", "men", "expected"),
    [
        (5, 60, 40, ((3, 2),)),  # 3 and 2 exactly
        (4, 60, 40, ((2, 2),)),  # 2.4 → 2 women, 1.6 → 2 men
        (3, 60, 40, ((2, 1),)),  # 1.8 → 2, 1.2 → 1
        (4, 92, 8, ((4, 0), (3, 1))),  # 0.32 → no man, but one allowed
        (5, 50, 50, ((3, 2), (2, 3))),  # 2.5 each: either sex takes the odd place
        (1, 60, 40, ((1, 0),)),  # a single candidate: the exception needs two places
        (6, 100, 0, ((6, 0),)),  # no man in the electorate: no exception
        (0, 60, 40, ()),
        (3, 0, 0, ()),
    ],
)
def test_allowed_compositions(candidates, women, men, expected):
    assert allowed_compositions(candidates=candidates, electorate_women=women, electorate_men=men) == expected


def test_five_candidates_sixty_forty_compliant():
    result = check("FMFMF")
    assert result.compliant
    assert result.problems == []


def test_wrong_proportion_is_said_in_plain_french():
    result = check("MFMFM")
    assert not result.compliant
    assert result.problems == ["Il faut 3 femmes et 2 hommes sur cette liste de 5 : vous avez 2 femmes et 3 hommes."]


def test_four_candidates_two_point_four_rounds_down():
    assert check("FMFM").compliant
    assert check("MFMF").compliant  # either sex may head the list
    assert not check("FMFF").compliant


def test_alternation_broken_names_the_place():
    result = check("FMMFF")
    assert result.problems == ["Les candidats doivent alterner : la 3e place devrait être une femme."]


def test_alternation_second_place():
    assert check("FFMFM").problems == ["Les candidats doivent alterner : la 2e place devrait être un homme."]


def test_after_one_sex_is_exhausted_the_rest_may_follow():
    # 80 % / 20 % of 5: 4 women, 1 man; once the man is placed, the women follow.
    assert check("FMFFF", women=80, men=20).compliant
    assert check("MFFFF", women=80, men=20).compliant
    assert check("FFMFF", women=80, men=20).problems == [
        "Les candidats doivent alterner : la 2e place devrait être un homme."
    ]


def test_exception_one_man_allowed_when_rounding_gives_none():
    assert check("FFFF", seats=4, women=92, men=8).compliant
    assert check("FMFF", seats=4, women=92, men=8).compliant
    two_men = check("FMFM", seats=4, women=92, men=8)
    assert two_men.problems == [
        "Il faut 4 femmes et 0 homme ou 3 femmes et 1 homme sur cette liste de 4 : vous avez 2 femmes et 2 hommes."
    ]


def test_the_exception_candidate_cannot_head_the_list():
    result = check("MFFF", seats=4, women=92, men=8)
    assert result.problems == [
        "Le seul homme, permis parce que l’arrondi n’en donne aucun, ne peut pas être en tête de liste."
    ]


def test_exception_for_women_too():
    assert check("MFMM", seats=4, women=8, men=92).compliant
    assert not check("FMMM", seats=4, women=8, men=92).compliant


def test_half_and_half_odd_list_either_way():
    assert check("FMFMF", women=50, men=50).compliant
    assert check("MFMFM", women=50, men=50).compliant


def test_no_more_candidates_than_seats():
    result = check("FMFMF", seats=4)
    assert result.problems == [
        "Pas plus de candidats que de sièges : ce collège a 4 sièges à pourvoir, la liste a 5 candidats."
    ]


def test_several_problems_at_once():
    result = check("MMFFM", seats=4)
    assert len(result.problems) == 3


def test_empty_list_is_neither_compliant_nor_wrong():
    result = check("")
    assert not result.compliant
    assert result.problems == []


def test_electorate_unknown():
    result = check("FM", women=0, men=0)
    assert not result.compliant
    assert len(result.problems) == 1


def test_unknown_letters_are_ignored():
    assert check("FXMF").compliant is False or True  # never raises
    assert check(["F", "M", "F", "M", "F"]).compliant


def test_english_messages():
    with translation.override("en"):
        assert check("FMMFF").problems == ["Candidates must alternate: the 3rd place should be a woman."]
        assert check("MFMFM").problems == ["This list of 5 needs 3 women and 2 men: you have 2 women and 3 men."]
