"""Repeating a message from the calendar, changing and stopping a series through the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from terrain.atelier.models import Message, Publication, Recurrence
from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.atelier.tests.plan_factories import make_account, make_message

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 10, 18, 8, 0, tzinfo=UTC)  # Monday, two weeks before the autumn change


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def message(world):
    return make_message(world.section, author=world.bob, accounts=[make_account(world.section)], body="Permanence")


def _create(client, world, message, **data):
    values = {
        "frequency": "weekly",
        "interval": "1",
        "starts_on": "2027-10-20",
        "local_time": "12:00",
        "ends_on": "2027-11-17",
    }
    values.update(data)
    return client.post(reverse("atelier:recurrence_new", args=[world.section.code, message.code]), values)


def test_an_approver_repeats_a_message_weekly_across_the_autumn_change(bob_client, world, bob, message):
    strategy_get_or_create(structure=world.section).approvers.add(bob)
    form = bob_client.get(reverse("atelier:recurrence_new", args=[world.section.code, message.code]))
    assert form.status_code == 200
    response = _create(bob_client, world, message)
    recurrence = Recurrence.objects.get()
    assert response["Location"] == reverse("atelier:recurrence", args=[world.section.code, recurrence.code])
    assert recurrence.timezone == "Europe/Paris"
    times = [m.scheduled_at for m in Message.objects.filter(recurrence=recurrence).order_by("occurrence_on")]
    assert len(times) == 5
    assert {t.astimezone(PARIS).time() for t in times} == {time(12, 0)}
    assert times[1] == datetime(2027, 10, 27, 10, 0, tzinfo=UTC)  # summer time
    assert times[2] == datetime(2027, 11, 3, 11, 0, tzinfo=UTC)  # winter time
    page = bob_client.get(response["Location"]).content.decode()
    assert "Répété chaque semaine jusqu’au 17 novembre 2027" in page


def test_the_series_follows_the_viewer_time_zone(alice_client, world, alice, message):
    alice.timezone = "Indian/Reunion"
    alice.save(update_fields=["timezone"])
    _create(alice_client, world, message)
    recurrence = Recurrence.objects.get()
    assert recurrence.timezone == "Indian/Reunion"
    first = Message.objects.get(recurrence=recurrence, occurrence_on=date(2027, 10, 20))
    assert first.scheduled_at == datetime(2027, 10, 20, 8, 0, tzinfo=UTC)  # 12:00 in La Réunion (UTC+4)


def test_bad_input_keeps_what_was_typed(alice_client, world, message):
    response = _create(alice_client, world, message, ends_on="2027-10-01", local_time="07:45")
    assert response.status_code == 422
    page = response.content.decode()
    assert "La fin doit venir après le début." in page
    assert 'value="07:45"' in page
    assert not Recurrence.objects.exists()


def test_a_draft_cannot_be_repeated(alice_client, world):
    draft = make_message(world.section, accounts=[make_account(world.section)], status=Message.Status.DRAFT)
    response = _create(alice_client, world, draft)
    assert response.status_code == 422
    assert "Seul un message validé peut être répété." in response.content.decode()


def test_a_writer_cannot_repeat_nor_change_a_series(bob_client, world, bob, message, alice_client):
    strategy_get_or_create(structure=world.section).writers.add(bob)
    assert _create(bob_client, world, message).status_code == 403
    _create(alice_client, world, message)
    recurrence = Recurrence.objects.get()
    url = reverse("atelier:recurrence", args=[world.section.code, recurrence.code])
    assert bob_client.get(url).status_code == 200  # reading is fine
    assert bob_client.post(url, {"frequency": "daily"}).status_code == 403
    assert (
        bob_client.post(reverse("atelier:recurrence_stop", args=[world.section.code, recurrence.code])).status_code
        == 403
    )


def test_changing_the_series_from_its_page_spares_what_is_published(alice_client, world, message, clock):
    _create(alice_client, world, message)
    recurrence = Recurrence.objects.get()
    first = Message.objects.get(pk=message.pk)
    clock.move_to(datetime(2027, 10, 21, 8, 0, tzinfo=UTC))
    first.publications.update(state=Publication.State.PUBLISHED)
    Message.objects.filter(pk=first.pk).update(status=Message.Status.PUBLISHED)
    url = reverse("atelier:recurrence", args=[world.section.code, recurrence.code])
    response = alice_client.post(
        url,
        {
            "frequency": "weekly",
            "interval": "1",
            "local_time": "18:00",
            "ends_on": "2027-11-17",
            "body": "Nouveau texte",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.body, first.scheduled_at.astimezone(PARIS).hour) == ("Permanence", 12)
    coming = Message.objects.filter(recurrence=recurrence).exclude(pk=first.pk)
    assert {(m.body, m.scheduled_at.astimezone(PARIS).hour) for m in coming} == {("Nouveau texte", 18)}
    assert Publication.objects.filter(message=first).count() == 1

    alice_client.post(reverse("atelier:recurrence_stop", args=[world.section.code, recurrence.code]))
    assert set(coming.values_list("status", flat=True)) == {Message.Status.CANCELLED}
    first.refresh_from_db()
    assert first.status == Message.Status.PUBLISHED
