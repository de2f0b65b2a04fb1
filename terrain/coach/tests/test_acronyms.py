from __future__ import annotations

import pytest

from terrain.coach.tests.helpers import codes, flags_of


def test_known_acronym_is_flagged_with_its_plain_words():
    text = "Élections CSE : votez du 4 au 11 mars !"
    [flag] = flags_of("acronym", text)
    assert flag.excerpt == "CSE"
    assert text[flag.start : flag.end] == "CSE"
    assert flag.severity == "warning"
    assert flag.suggestion == "Écrivez « comité social et économique (CSE) »."
    assert "militant" in flag.message


@pytest.mark.parametrize("token", ["C.S.E", "C.S.E.", "AT/MP", "CSE-C", "l’APLD", "d'UL"])
def test_acronym_spellings_are_recognised(token):
    [flag] = flags_of("acronym", f"Le point sur {token} demain, venez !")
    assert flag.excerpt in token


@pytest.mark.parametrize(
    "text",
    [
        "Le comité social et économique (CSE) se réunit jeudi. Venez !",
        "Le CSE (comité social et économique) se réunit jeudi. Venez !",
        "Négociation annuelle sur les salaires (la « NAO ») : venez jeudi.",
        "Les déléguées syndicales (DS) vous reçoivent mardi, venez !",
    ],
)
def test_acronym_with_its_expansion_is_not_flagged(text):
    assert "acronym" not in codes(text)


def test_each_acronym_is_flagged_once():
    flags = flags_of("acronym", "La NAO commence. La NAO est importante. La NAO, c'est vous. Venez.")
    assert len(flags) == 1


def test_unknown_capitals_are_flagged_with_a_generic_suggestion():
    [flag] = flags_of("acronym", "Les équipes du SPX seront réparties. Posez vos questions.")
    assert flag.excerpt == "SPX"
    assert "entre parenthèses" in flag.suggestion


def test_a_colon_after_an_acronym_is_not_a_definition():
    assert "acronym" in codes("APLD : la direction veut la prolonger. Venez en discuter.")


@pytest.mark.parametrize(
    "text",
    [
        "Chapitre IV du règlement, XXIe siècle : venez en parler.",  # Roman numerals
        "Merci à @CGT_RENAULT et à @sud@mastodon.exemple.org, partagez !",  # mentions
        "Lisez le compte rendu : https://exemple.org/CR-NAO-MARS",  # links
        "Votez pour la liste CGT, soutenue par FO et la CFDT !",  # unions are names
        "Grève le 12 mars ! Venez. #NAO2025 #CSE",  # hashtags
        "La Direction et le Comité se réunissent. Venez nombreux.",  # capitalised words
        "Notre réponse : NON. Signez la pétition.",  # emphasis is a shout, not an acronym
    ],
)
def test_no_false_acronym(text):
    assert "acronym" not in codes(text)


def test_structure_lexicon_wins_over_the_built_in_one():
    [flag] = flags_of(
        "acronym", "La CMCAS ouvre les inscriptions. Inscrivez-vous.", lexicon={"CMCAS": "caisse d'action sociale"}
    )
    assert "caisse d'action sociale (CMCAS)" in flag.suggestion
    [flag] = flags_of("acronym", "Le CSE vote jeudi. Venez.", lexicon={"CSE": "comité de l'usine"})
    assert "comité de l'usine (CSE)" in flag.suggestion


def test_empty_expansion_in_the_structure_lexicon_means_known_to_all():
    assert "acronym" not in codes("Le SNJ vous invite à voter.", lexicon={"SNJ": ""})
    assert "acronym" in codes("Le SNJ vous invite à voter.")


def test_a_known_acronym_offers_its_plain_words_in_place():
    text = "Le CHSCT se réunit jeudi."
    [flag] = flags_of("acronym", text, lexicon={"CHSCT": "comité d'hygiène et de sécurité"})
    assert text[: flag.start] + flag.replacement + text[flag.end :] == (
        "Le comité d'hygiène et de sécurité (CHSCT) se réunit jeudi."
    )
    assert (
        codes(
            text[: flag.start] + flag.replacement + text[flag.end :],
            lexicon={"CHSCT": "comité d'hygiène et de sécurité"},
        ).count("acronym")
        == 0
    )


def test_an_unknown_acronym_has_no_mechanical_fix():
    [flag] = flags_of("acronym", "La XYZQ arrive.")
    assert flag.replacement is None
