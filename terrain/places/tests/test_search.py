"""A visitor's words find communes: postal codes whole or begun, names in any spelling, suggestions."""

from __future__ import annotations

import pytest

from terrain.places.selectors import commune_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "insee"),
    [
        ("69003", "69383"),
        ("L Ile Rousse", "2B134"),
        ("l'île-rousse", "2B134"),
        ("Ile Rousse", "2B134"),
        ("saint etienne", "42218"),
        ("st etienne", "42218"),
        ("Saint-Étienne", "42218"),
        ("lhay les roses", None),  # no space: a look-alike, not a match
        ("69003 Lyon", "69383"),
    ],
)
def test_a_town_is_found_however_it_is_typed(communes, typed, insee):
    found = commune_search(typed)
    if insee is None:
        assert found.chosen is None and found.unknown_name
        assert found.communes[0].insee == "94038"
    else:
        assert found.chosen is not None and found.chosen.insee == insee


def test_exact_first_then_prefix_then_population(communes):
    found = commune_search("saint etienne")
    assert [c.insee for c in found.communes] == ["42218", "76575"]
    saint = commune_search("st")
    assert saint.chosen is None
    # Every "Saint…" and "Sainte…", the most populated first.
    assert [c.name for c in saint.communes][:3] == ["Saint-Étienne", "Saint-Denis", "Saint-Denis"]
    assert commune_search("ste").communes[0].name == "Sainte-Foy-lès-Lyon"


def test_homonyms_are_told_apart_and_the_biggest_is_taken(communes):
    found = commune_search("Saint-Denis")
    assert {c.label for c in found.communes} == {"Saint-Denis (97400)", "Saint-Denis (93200)"}
    assert found.chosen.insee == "97411"  # the more populated; the other is offered next to it
    assert [c.insee for c in found.others] == ["93066"]


def test_a_word_inside_a_name_finds_it(communes):
    assert [c.insee for c in commune_search("etienne").communes] == ["42218", "76575"]
    assert [c.insee for c in commune_search("rousse").communes] == ["2B134"]


def test_a_postal_code_begun_lists_its_communes(communes):
    found = commune_search("690")
    assert found.chosen is None
    assert [c.insee for c in found.communes] == ["69383", "69387", "69386", "69382", "69381"]
    assert commune_search("69").communes[0].insee == "69266"  # Villeurbanne, 69100, the most populated


def test_an_unknown_postal_code_says_so_and_suggests_the_nearest_codes(communes):
    found = commune_search("69004")
    assert found.chosen is None and found.unknown_postal_code == "69004"
    assert [c.insee for c in found.communes][:2] == ["69383", "69382"]  # 69003, then 69002 (as near as 69006)
    far = commune_search("99999")
    assert far.unknown_postal_code == "99999" and far.communes  # never nothing


def test_a_misspelt_name_gets_look_alikes(communes):
    found = commune_search("Villeurbane")
    assert found.chosen is None and found.unknown_name == "Villeurbane"
    assert found.communes[0].insee == "69266"


def test_nothing_typed_finds_nothing(communes):
    assert commune_search("  ").communes == []
    assert commune_search("'-'").communes == []
