"""Every view of the plan refuses an outsider (404: the structure is not disclosed) and a plain member (403)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import Audience, LexiconEntry, QueueSlot, Recurrence
from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.atelier.tests.plan_factories import make_account, make_scheduled


@pytest.fixture
def things(world):
    section = world.section
    strategy = strategy_get_or_create(structure=section)
    audience = Audience.objects.create(strategy=strategy, name="adhérents")
    entry = LexiconEntry.objects.create(structure=section, acronym="CSE", expansion="comité social et économique")
    slot = QueueSlot.objects.create(structure=section, weekday=1, local_time="09:00")
    message = make_scheduled(section, timezone.now() + timedelta(days=2), accounts=[make_account(section)])
    recurrence = Recurrence.objects.create(
        structure=section,
        frequency="weekly",
        starts_on=timezone.localdate(),
        local_time="09:00",
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    code = section.code
    return {
        "dashboard": ("get", [code]),
        "strategy": ("get", [code]),
        "audience_add": ("post", [code]),
        "audience_edit": ("post", [code, audience.code]),
        "audience_remove": ("post", [code, audience.code]),
        "lexicon": ("get", [code]),
        "lexicon_add": ("post", [code]),
        "lexicon_edit": ("post", [code, entry.code]),
        "lexicon_remove": ("post", [code, entry.code]),
        "slots": ("get", [code]),
        "slot_add": ("post", [code]),
        "slot_remove": ("post", [code, slot.code]),
        "calendar": ("get", [code]),
        "calendar_move": ("post", [code, message.code]),
        "recurrence_new": ("get", [code, message.code]),
        "recurrence": ("get", [code, recurrence.code]),
        "recurrence_stop": ("post", [code, recurrence.code]),
    }


VIEWS = [
    pytest.param("dashboard", marks=pytest.mark.outsider("atelier:dashboard")),
    pytest.param("strategy", marks=pytest.mark.outsider("atelier:strategy")),
    pytest.param("audience_add", marks=pytest.mark.outsider("atelier:audience_add")),
    pytest.param("audience_edit", marks=pytest.mark.outsider("atelier:audience_edit")),
    pytest.param("audience_remove", marks=pytest.mark.outsider("atelier:audience_remove")),
    pytest.param("lexicon", marks=pytest.mark.outsider("atelier:lexicon")),
    pytest.param("lexicon_add", marks=pytest.mark.outsider("atelier:lexicon_add")),
    pytest.param("lexicon_edit", marks=pytest.mark.outsider("atelier:lexicon_edit")),
    pytest.param("lexicon_remove", marks=pytest.mark.outsider("atelier:lexicon_remove")),
    pytest.param("slots", marks=pytest.mark.outsider("atelier:slots")),
    pytest.param("slot_add", marks=pytest.mark.outsider("atelier:slot_add")),
    pytest.param("slot_remove", marks=pytest.mark.outsider("atelier:slot_remove")),
    pytest.param("calendar", marks=pytest.mark.outsider("atelier:calendar")),
    pytest.param("calendar_move", marks=pytest.mark.outsider("atelier:calendar_move")),
    pytest.param("recurrence_new", marks=pytest.mark.outsider("atelier:recurrence_new")),
    pytest.param("recurrence", marks=pytest.mark.outsider("atelier:recurrence")),
    pytest.param("recurrence_stop", marks=pytest.mark.outsider("atelier:recurrence_stop")),
]


def _call(client, things, name):
    method, args = things[name]
    url = reverse(f"atelier:{name}", args=args)
    data = {"date": (timezone.localdate() + timedelta(days=5)).isoformat(), "acronym": "X", "expansion": "Y"}
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("name", VIEWS)
def test_an_outsider_gets_404_and_nothing_changes(charlie_client, things, name):
    before = (Audience.objects.count(), LexiconEntry.objects.count(), QueueSlot.objects.count())
    assert _call(charlie_client, things, name).status_code == 404
    assert (Audience.objects.count(), LexiconEntry.objects.count(), QueueSlot.objects.count()) == before


@pytest.mark.parametrize("name", VIEWS)
def test_a_plain_member_gets_403(bob_client, things, name):
    assert _call(bob_client, things, name).status_code == 403


@pytest.mark.parametrize("name", VIEWS)
def test_signed_out_goes_to_sign_in(client, things, name):
    response = _call(client, things, name)
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


@pytest.mark.outsider("atelier:home")
def test_home_shows_an_outsider_no_workshop(charlie_client, world):
    response = charlie_client.get(reverse("atelier:home"))
    assert response.status_code == 200
    assert world.section.name not in response.content.decode()
    assert response.context["rows"] == []


def test_unknown_codes_are_404(alice_client, world):
    code = world.section.code
    assert alice_client.get(reverse("atelier:dashboard", args=["zzzzzzzzzzzzzz"])).status_code == 404
    assert alice_client.get(reverse("atelier:recurrence", args=[code, "zzzzzzzzzzzzzz"])).status_code == 404
    assert alice_client.post(reverse("atelier:lexicon_remove", args=[code, "bad"])).status_code == 404


def test_an_object_of_another_structure_is_404(alice_client, world, things):
    """Alice manages the section; a lexicon entry of the union above is not reachable through the section."""
    other = LexiconEntry.objects.create(structure=world.syndicat, acronym="UD", expansion="union départementale")
    url = reverse("atelier:lexicon_remove", args=[world.section.code, other.code])
    assert alice_client.post(url).status_code == 404
    assert LexiconEntry.objects.filter(pk=other.pk).exists()
