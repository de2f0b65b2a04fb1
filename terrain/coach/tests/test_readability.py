from __future__ import annotations

import pytest

from terrain.coach.checks.readability import kandel_moles, syllables
from terrain.coach.tests.helpers import codes, flags_of
from terrain.coach.text import Draft

LONG = (
    "Suite à la réunion qui s'est tenue hier avec la direction au cours de laquelle nous avons à nouveau porté "
    "les revendications des salariées concernant la revalorisation des grilles, la direction a indiqué qu'elle "
    "reviendrait vers nous sans s'engager sur un calendrier."
)


@pytest.mark.parametrize(
    ("word", "count"),
    [("été", 2), ("réunion", 3), ("grève", 1), ("syndicale", 3), ("économique", 4), ("question", 2), ("le", 1)],
)
def test_french_syllables(word, count):
    assert syllables(word) == count


def test_a_long_sentence_is_flagged_with_its_text():
    text = LONG + " Venez en parler."
    [flag] = flags_of("hard_to_read", text)
    assert flag.excerpt == LONG
    assert text[flag.start : flag.end] == LONG
    assert "mots" in flag.message


def test_dense_prose_is_flagged_by_its_score():
    text = (
        "Conformément aux dispositions de l'accord relatif à l'aménagement du temps de travail, la modification "
        "unilatérale des plannings nécessite une consultation préalable de l'instance représentative. "
        "L'employeur doit respecter un délai de prévenance. L'inobservation de cette procédure constitue une "
        "irrégularité substantielle. Contactez vos représentantes."
    )
    score, _words = kandel_moles(Draft(text))
    assert score < 50
    [flag] = flags_of("hard_to_read", text)
    assert flag.start is None


def test_plain_short_sentences_are_not_flagged():
    text = (
        "Jeudi 12 mars, on fait grève pour nos salaires. Rendez-vous à 10h devant le siège, avec vos collègues. "
        "Chaque personne compte. Venez nombreuses et nombreux ! Nous serons là dès 9h avec du café."
    )
    assert "hard_to_read" not in codes(text)
    score, _words = kandel_moles(Draft(text))
    assert score > 60


def test_links_and_hashtags_do_not_count_as_words():
    text = "Signez https://exemple.org/une/tres/longue/adresse/avec/beaucoup/de/morceaux/pour/rien " + "#Mot " * 30
    assert "hard_to_read" not in codes(text)


def test_inclusive_endings_do_not_split_words():
    sentence = (
        "Les salarié·es, adhérent·es, élu·es et militant·es de la section, avec les retraité·es et les "
        "intérimaires, sont invité.es samedi."
    )
    assert len(Draft(sentence).words) == 18
    assert "hard_to_read" not in codes(sentence + " Venez.")
