"""How names are written and searched: any spelling of a town finds it."""

from __future__ import annotations

import pytest

from terrain.places.text import full_name, search_key


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("L Ile Rousse", "L'Île-Rousse"),
        ("l’île-rousse", "L'Île-Rousse"),
        ("saint etienne", "Saint-Étienne"),
        ("st etienne", "Saint-Étienne"),
        ("ST-ÉTIENNE", "Saint-Étienne"),
        ("ste foy les lyon", "Sainte-Foy-lès-Lyon"),
        ("  l'haÿ   les roses ", "L'Haÿ-les-Roses"),
        ("Œuilly", "Oeuilly"),
    ],
)
def test_any_spelling_gives_the_same_key(typed, name):
    assert search_key(typed) == search_key(name)


def test_a_key_keeps_words_and_digits():
    assert search_key("Lyon 3e Arrondissement") == "lyon 3e arrondissement"
    assert search_key("Saint-Étienne") == "saint etienne"
    assert search_key("") == ""


def test_the_article_comes_from_insee_code():
    assert full_name("Île-Rousse", "5") == "L'Île-Rousse"
    assert full_name("Mureaux", "4") == "Les Mureaux"
    assert full_name("Lyon", "0") == "Lyon"
