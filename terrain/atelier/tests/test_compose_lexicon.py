"""The composer's coach reads the structure's lexicon merged with its parents' (the nearest wins)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.atelier.models import LexiconEntry
from terrain.atelier.services import messages as services
from terrain.atelier.tests.compose_helpers import client_for, make_workshop


@pytest.fixture
def shop(world):
    return make_workshop(world)


def _coach(shop, body: str) -> str:
    message = services.message_create(structure=shop.structure, author=shop.dana, body=body)
    html = client_for(shop.dana).get(reverse("atelier:message_edit", args=[message.code])).content.decode()
    return html.split('id="composer-coach"', 1)[1].split("</section>", 1)[0]


def test_an_acronym_of_the_union_reaches_its_sections_composer(shop, world):
    LexiconEntry.objects.create(structure=world.ud, acronym="UFICT", expansion="union des cadres et techniciens")
    coach = _coach(shop, "L'UFICT se réunit jeudi.")
    assert "union des cadres et techniciens (UFICT)" in coach


def test_the_nearest_structure_wins(shop, world):
    LexiconEntry.objects.create(structure=world.syndicat, acronym="CHSCT", expansion="ancien comité du syndicat")
    LexiconEntry.objects.create(structure=world.ud, acronym="UFICT", expansion="union de l'union départementale")
    LexiconEntry.objects.create(structure=world.syndicat, acronym="UFICT", expansion="union du syndicat")
    coach = _coach(shop, "Le CHSCT et l'UFICT se réunissent.")
    assert "comité d&#x27;hygiène et de sécurité (CHSCT)" in coach  # the section's own entry
    assert "union du syndicat (UFICT)" in coach
    assert "ancien comité" not in coach and "union départementale" not in coach


def test_the_live_check_reads_the_same_lexicon(shop, world):
    LexiconEntry.objects.create(structure=world.ud, acronym="UFICT", expansion="union des cadres et techniciens")
    response = client_for(shop.dana).post(
        reverse("atelier:message_new", args=[shop.structure.code]),
        {"submission_key": "composer-key-lexicon", "body": "L'UFICT se réunit jeudi."},
        HTTP_HX_REQUEST="true",
    )
    assert "union des cadres et techniciens (UFICT)" in response.content.decode()
