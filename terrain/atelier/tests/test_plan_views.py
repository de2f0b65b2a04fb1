"""The workshop's home, dashboard, strategy, lexicon and queue pages."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import Audience, Cadence, ConnectedAccount, LexiconEntry, Message, QueueSlot, Strategy
from terrain.atelier.selectors_plan import lexicon_of
from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.atelier.tests.plan_factories import make_account, make_message, make_scheduled
from terrain.structures.services import structure_create
from terrain.tests.factories import make_user


def _strategy_data(**extra):
    data = {
        "editorial_line": "Clair, direct, sans jargon.",
        "goals": ["visibility", "elections"],
        "approval_required": "on",
        "cadence_mastodon": "3",
        "cadence_bluesky": "2",
        "cadence_newsletter": "",
    }
    data.update(extra)
    return data


# --- Home and menu -----------------------------------------------------------------------------


def test_home_lists_my_workshops_with_their_counts(alice_client, world, django_assert_max_num_queries):
    section = world.section
    account = make_account(section, status=ConnectedAccount.Status.BROKEN)
    make_message(section, status=Message.Status.DRAFT)
    make_message(section, status=Message.Status.DRAFT)
    make_message(section, status=Message.Status.SUBMITTED)
    make_scheduled(section, timezone.now() + timedelta(minutes=5), accounts=[account])
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("atelier:home"))
    (row,) = response.context["rows"]
    assert row.structure == section
    assert (row.drafts, row.submitted, row.broken_accounts) == (2, 1, 1)
    assert row.scheduled_this_week in (0, 1)  # 1 unless the five minutes cross Sunday midnight
    page = response.content.decode()
    assert "2 brouillons" in page
    assert "1 compte doit être reconnecté" in page


def test_home_query_count_does_not_grow_with_structures(alice_client, world, django_assert_max_num_queries):
    for n in range(6):
        child = structure_create(kind="section", name=f"Section {n}", parent=world.syndicat)
        from terrain.structures.services import official_add

        official_add(structure=child, user=world.alice, role="secretaire")
        make_message(child, status=Message.Status.DRAFT)
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("atelier:home"))
    assert len(response.context["rows"]) == 7


def test_writers_and_approvers_see_their_workshops(bob_client, world, bob):
    strategy = strategy_get_or_create(structure=world.section)
    strategy.writers.add(bob)
    (row,) = bob_client.get(reverse("atelier:home")).context["rows"]
    assert row.role == "write"
    assert bob_client.get(reverse("atelier:dashboard", args=[world.section.code])).status_code == 200


def test_menu_shows_communication_only_with_a_role(alice_client, bob_client, world, bob):
    link = 'href="/atelier/"'
    assert link in alice_client.get(reverse("structures:list")).content.decode()
    assert link not in bob_client.get(reverse("structures:list")).content.decode()
    strategy_get_or_create(structure=world.section).approvers.add(bob)
    assert link in bob_client.get(reverse("structures:list")).content.decode()
    strategy_get_or_create(structure=world.section).approvers.remove(bob)
    assert link not in bob_client.get(reverse("structures:list")).content.decode()
    strategy_get_or_create(structure=world.section).writers.add(bob)
    assert link in bob_client.get(reverse("structures:list")).content.decode()


def test_dashboard_shows_next_publications_and_gaps(alice_client, world, django_assert_max_num_queries):
    section = world.section
    strategy = strategy_get_or_create(structure=section)
    Cadence.objects.create(strategy=strategy, network="bluesky", posts_per_week=2)
    message = make_scheduled(section, timezone.now() + timedelta(days=3), accounts=[make_account(section)])
    with django_assert_max_num_queries(20):
        response = alice_client.get(reverse("atelier:dashboard", args=[section.code]))
    page = response.content.decode()
    assert f"/atelier/{section.code}/messages/{message.code}/" in page
    assert "Aucune publication prévue sur Bluesky cette semaine (objectif : 2)" in page
    assert f"/atelier/{section.code}/messages/" in page
    assert f"/atelier/{section.code}/comptes/" in page


# --- Strategy ----------------------------------------------------------------------------------


def test_a_manager_writes_the_strategy(alice_client, world, bob):
    url = reverse("atelier:strategy", args=[world.section.code])
    response = alice_client.post(url, _strategy_data(writers=[bob.pk], approvers=[world.alice.pk]))
    assert response.status_code == 302
    strategy = Strategy.objects.get(structure=world.section)
    assert strategy.editorial_line == "Clair, direct, sans jargon."
    assert strategy.goals == ["visibility", "elections"]
    assert strategy.approval_required
    assert list(strategy.writers.all()) == [bob]
    assert dict(strategy.cadences.values_list("network", "posts_per_week")) == {"mastodon": 3, "bluesky": 2}
    # Setting a cadence to 0 removes it.
    alice_client.post(url, _strategy_data(cadence_bluesky="0"))
    assert dict(strategy.cadences.values_list("network", "posts_per_week")) == {"mastodon": 3}
    assert not strategy.writers.exists()


def test_writers_must_be_members_of_the_structure(alice_client, world, charlie):
    url = reverse("atelier:strategy", args=[world.section.code])
    response = alice_client.post(url, _strategy_data(writers=[charlie.pk], editorial_line="Ce que j’ai tapé"))
    assert response.status_code == 422
    assert "Ce que j’ai tapé" in response.content.decode()  # what was typed is kept
    assert not Strategy.objects.filter(structure=world.section).exists()


def test_a_bad_cadence_keeps_what_was_typed(alice_client, world):
    url = reverse("atelier:strategy", args=[world.section.code])
    response = alice_client.post(url, _strategy_data(cadence_mastodon="-2", editorial_line="Ma ligne"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ma ligne" in page
    assert "supérieure ou égale à 0" in page


def test_writers_read_the_strategy_but_cannot_change_it(bob_client, world, bob):
    strategy = strategy_get_or_create(structure=world.section)
    strategy.writers.add(bob)
    strategy.editorial_line = "Toujours poli."
    strategy.goals = ["elections"]
    strategy.save()
    Cadence.objects.create(strategy=strategy, network="mastodon", posts_per_week=3)
    url = reverse("atelier:strategy", args=[world.section.code])
    page = bob_client.get(url).content.decode()
    assert "Toujours poli." in page
    assert "<li>Élections professionnelles</li>" in page
    assert "<li>Être visible</li>" not in page
    assert "Mastodon : 3 publications par semaine" in page
    assert "<textarea" not in page
    assert bob_client.post(url, _strategy_data()).status_code == 403
    strategy.refresh_from_db()
    assert strategy.editorial_line == "Toujours poli."


def test_audiences_add_edit_remove_with_htmx(alice_client, world):
    code = world.section.code
    response = alice_client.post(
        reverse("atelier:audience_add", args=[code]),
        {"name": "journalistes", "networks": ["bluesky", "x"], "notes": "Presse locale"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="audiences"' in response.content.decode()
    audience = Audience.objects.get()
    assert (audience.name, audience.networks) == ("journalistes", ["bluesky", "x"])
    # The same name twice is refused, and what was typed stays in the form.
    response = alice_client.post(
        reverse("atelier:audience_add", args=[code]),
        {"name": "Journalistes", "notes": "doublon"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only successful answers
    assert "déjà dans la stratégie" in response.content.decode()
    assert 'value="doublon"' in response.content.decode()
    prefix = audience.code
    alice_client.post(
        reverse("atelier:audience_edit", args=[code, audience.code]),
        {f"{prefix}-name": "presse", f"{prefix}-networks": ["mastodon"], f"{prefix}-notes": ""},
    )
    audience.refresh_from_db()
    assert (audience.name, audience.networks) == ("presse", ["mastodon"])
    alice_client.post(reverse("atelier:audience_remove", args=[code, audience.code]))
    assert not Audience.objects.exists()


def test_writers_cannot_change_audiences(bob_client, world, bob):
    strategy_get_or_create(structure=world.section).writers.add(bob)
    response = bob_client.post(reverse("atelier:audience_add", args=[world.section.code]), {"name": "cadres"})
    assert response.status_code == 403
    assert not Audience.objects.exists()


# --- Lexicon -----------------------------------------------------------------------------------


def test_lexicon_add_edit_remove(alice_client, world):
    code = world.section.code
    response = alice_client.post(
        reverse("atelier:lexicon_add", args=[code]), {"acronym": "CSE", "expansion": "comité social et économique"}
    )
    assert response.status_code == 302
    entry = LexiconEntry.objects.get()
    response = alice_client.post(
        reverse("atelier:lexicon_edit", args=[code, entry.code]),
        {f"{entry.code}-acronym": "CSE", f"{entry.code}-expansion": "comité social et économique (le CSE)"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "(le CSE)" in response.content.decode()
    assert lexicon_of(world.section) == {"CSE": "comité social et économique (le CSE)"}
    alice_client.post(reverse("atelier:lexicon_remove", args=[code, entry.code]))
    assert not LexiconEntry.objects.exists()


def test_lexicon_refuses_a_duplicate_and_keeps_what_was_typed(alice_client, world):
    code = world.section.code
    LexiconEntry.objects.create(structure=world.section, acronym="CHSCT", expansion="ancien comité")
    response = alice_client.post(
        reverse("atelier:lexicon_add", args=[code]), {"acronym": "chsct", "expansion": "mon explication"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "déjà dans le lexique" in page
    assert 'value="mon explication"' in page
    assert LexiconEntry.objects.count() == 1


def test_lexicon_of_a_section_includes_the_structures_above(world):
    LexiconEntry.objects.create(structure=world.ud, acronym="UD", expansion="union départementale")
    LexiconEntry.objects.create(structure=world.ud, acronym="NAO", expansion="négociations annuelles")
    LexiconEntry.objects.create(structure=world.section, acronym="NAO", expansion="négociation sur les salaires")
    assert lexicon_of(world.section) == {
        "UD": "union départementale",
        "NAO": "négociation sur les salaires",
    }


def test_writers_read_the_lexicon_without_forms(bob_client, world, bob):
    strategy_get_or_create(structure=world.section).writers.add(bob)
    LexiconEntry.objects.create(structure=world.section, acronym="CSE", expansion="comité social et économique")
    page = bob_client.get(reverse("atelier:lexicon", args=[world.section.code])).content.decode()
    assert "comité social et économique" in page
    assert "lexique/ajouter" not in page


# --- Queue -------------------------------------------------------------------------------------


def test_queue_slots_add_and_remove(alice_client, world):
    code = world.section.code
    response = alice_client.post(reverse("atelier:slot_add", args=[code]), {"weekday": "1", "local_time": "09:00"})
    assert response.status_code == 302
    slot = QueueSlot.objects.get()
    assert (slot.weekday, slot.local_time, slot.timezone) == (1, time(9), "Europe/Paris")
    page = alice_client.get(reverse("atelier:slots", args=[code])).content.decode()
    assert "mardi à 09:00" in page
    assert "Prochain créneau libre" in page
    response = alice_client.post(reverse("atelier:slot_add", args=[code]), {"weekday": "1", "local_time": "09:00"})
    assert response.status_code == 422
    alice_client.post(reverse("atelier:slot_remove", args=[code, slot.code]))
    assert not QueueSlot.objects.exists()


@pytest.mark.parametrize("data", [{"weekday": "9", "local_time": "09:00"}, {"weekday": "1", "local_time": "25:00"}])
def test_queue_slot_bad_input(alice_client, world, data):
    response = alice_client.post(reverse("atelier:slot_add", args=[world.section.code]), data)
    assert response.status_code == 422
    assert not QueueSlot.objects.exists()


def test_an_official_above_manages_the_section_workshop(world):
    from django.test import Client

    from terrain.structures.services import official_add

    person = make_user("Dominique Haut")
    official_add(structure=world.ud, user=person, role="communication")
    client = Client()
    client.force_login(person)
    response = client.post(
        reverse("atelier:lexicon_add", args=[world.section.code]), {"acronym": "UL", "expansion": "union locale"}
    )
    assert response.status_code == 302
    assert LexiconEntry.objects.filter(structure=world.section, acronym="UL").exists()
