from __future__ import annotations

import pytest

from terrain.coach.tests.helpers import codes, flags_of


def test_a_run_of_capitals_is_shouting():
    text = "TOUS EN GRÈVE LE 12 MARS ! Rendez-vous 10h devant le siège."
    [flag] = flags_of("shouting", text)
    assert flag.excerpt == "TOUS EN GRÈVE LE 12 MARS"
    assert text[flag.start : flag.end] == flag.excerpt
    assert "acronym" not in codes(text)


def test_a_sentence_in_capitals_is_shouting_even_with_an_acronym_inside():
    text = "URGENT : LA DIRECTION VEUT SUPPRIMER LES PRIMES DU CSE ! Venez."
    assert "shouting" in codes(text)
    assert [f.excerpt for f in flags_of("acronym", text)] == ["CSE"]


def test_three_words_in_capitals_across_the_post_are_shouting():
    assert "shouting" in codes("C'est MAINTENANT. Pas demain : MAINTENANT. TOUTES devant l'atelier, venez !")


@pytest.mark.parametrize(
    "text",
    [
        "Notre réponse : NON. Signez la pétition.",
        "Le CSE, la CSSCT et la NAO : venez comprendre.",
        "L'intersyndicale CGT, CFDT, FO et UNSA appelle à la grève.",
        "Grève le 12 mars. #GREVE #SALAIRES",
    ],
)
def test_no_shouting(text):
    assert "shouting" not in codes(text)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("TOUS EN GRÈVE LE 12 MARS ! Rendez-vous 10h.", "Tous en grève le 12 mars ! Rendez-vous 10h."),
        ("Bluesky : LA NAO COMMENCE JEUDI", "Bluesky : la NAO commence jeudi"),
        (
            "C'est MAINTENANT. Pas demain : MAINTENANT. TOUTES devant",
            "C'est MAINTENANT. Pas demain : maintenant. Toutes devant",
        ),
    ],
)
def test_shouting_offers_the_words_in_ordinary_letters(text, fixed):
    [flag] = flags_of("shouting", text)
    assert text[: flag.start] + flag.replacement + text[flag.end :] == fixed
