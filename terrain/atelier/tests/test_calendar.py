"""The calendar: month and week views in the viewer's time zone, plan gaps, free slots, moving messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from terrain.atelier.models import Cadence, Message, Publication
from terrain.atelier.selectors_plan import calendar_weeks
from terrain.atelier.services.scheduling import slot_add
from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.atelier.tests.plan_factories import make_account, make_scheduled

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # Monday 22 March 2027, 09:00 in Paris


@pytest.fixture(autouse=True)
def clock():
    """Set before the clients sign in, so that their sessions are fresh at that date."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def accounts(world):
    return {
        "mastodon": make_account(world.section, "mastodon"),
        "bluesky": make_account(world.section, "bluesky", handle="section.bsky.social"),
    }


@pytest.fixture
def cadence(world):
    strategy = strategy_get_or_create(structure=world.section)
    Cadence.objects.create(strategy=strategy, network="mastodon", posts_per_week=3)
    Cadence.objects.create(strategy=strategy, network="bluesky", posts_per_week=1)
    return strategy


def _url(world, **params):
    url = reverse("atelier:calendar", args=[world.section.code])
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else url


def test_gap_detection_per_week_and_network(world, accounts, cadence):
    at = datetime(2027, 3, 23, 9, 0, tzinfo=PARIS)
    make_scheduled(world.section, at, accounts=[accounts["mastodon"], accounts["bluesky"]])
    make_scheduled(world.section, at + timedelta(days=1), accounts=[accounts["mastodon"]])
    weeks = calendar_weeks(world.section, date(2027, 3, 22), date(2027, 4, 4))
    this_week, next_week = weeks
    assert [(g.network, g.planned, g.wanted) for g in this_week.gaps] == [("mastodon", 2, 3)]
    assert sorted((g.network, g.planned, g.wanted) for g in next_week.gaps) == [("bluesky", 0, 1), ("mastodon", 0, 3)]


def test_month_view_shows_messages_gaps_and_free_slots(alice_client, world, accounts, cadence):
    slot_add(structure=world.section, weekday=3, local_time=time(18))  # Thursday 18:00
    message = make_scheduled(world.section, datetime(2027, 3, 25, 18, 0, tzinfo=PARIS), accounts=[accounts["bluesky"]])
    response = alice_client.get(_url(world, vue="mois", date="2027-03-10"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mars 2027" in page
    assert f'id="cal-{message.code}"' in page
    assert 'draggable="true"' in page
    assert "Aucune publication prévue sur Mastodon cette semaine (objectif : 3)" in page
    assert "Créneau libre 18:00" in page  # Thursday 1 April, the following week
    assert 'data-drop-date="2027-03-30"' in page
    assert 'data-drop-date="2027-03-15"' not in page  # the past is not a drop target
    # The week of the 25th is planned on Bluesky: no Bluesky marker on that week.
    week = next(w for w in response.context["weeks"] if w.monday == date(2027, 3, 22))
    assert {g.network for g in week.gaps} == {"mastodon"}


def test_week_view_places_messages_at_their_hour_in_the_viewer_time_zone(alice_client, world, alice, accounts):
    alice.timezone = "Indian/Reunion"  # UTC+4 all year; Paris is UTC+1 in March before the change
    alice.save(update_fields=["timezone"])
    make_scheduled(world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    response = alice_client.get(_url(world, vue="semaine", date="2027-03-24"))
    page = response.content.decode()
    assert ">12:00</time>" in page  # 09:00 in Paris is 12:00 in La Réunion
    day = response.context["weeks"][0].days[2]
    hour, _items, _free = next(h for h in day.hours if h[1])
    assert hour == 12
    assert 'data-drop-time="12:00"' in page


def test_calendar_queries_do_not_grow_with_messages(
    alice_client, world, accounts, cadence, django_assert_max_num_queries
):
    slot_add(structure=world.section, weekday=1, local_time=time(9))
    for n in range(30):
        make_scheduled(
            world.section,
            datetime(2027, 3, 23, 10, 0, tzinfo=PARIS) + timedelta(hours=n * 7),
            accounts=[accounts["mastodon"], accounts["bluesky"]],
        )
    with django_assert_max_num_queries(16):
        response = alice_client.get(_url(world, vue="mois", date="2027-03-22"))
    assert response.status_code == 200
    with django_assert_max_num_queries(16):
        assert alice_client.get(_url(world, vue="semaine", date="2027-03-22")).status_code == 200


def test_writers_see_the_calendar_without_moving_anything(bob_client, world, bob, accounts):
    strategy_get_or_create(structure=world.section).writers.add(bob)
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    page = bob_client.get(_url(world)).content.decode()
    assert f'id="cal-{message.code}"' in page
    assert "draggable" not in page
    url = reverse("atelier:calendar_move", args=[world.section.code, message.code])
    assert bob_client.post(url, {"date": "2027-03-26"}).status_code == 403


def test_bad_dates_fall_back_to_today(alice_client, world):
    assert alice_client.get(_url(world, vue="semaine", date="2027-13-45")).status_code == 200


# --- Moving ------------------------------------------------------------------------------------


def _move(client, world, message, **data):
    url = reverse("atelier:calendar_move", args=[world.section.code, message.code])
    return client.post(url, data, HTTP_ACCEPT="application/json")


def test_drop_on_another_day_keeps_the_time_of_day_even_across_the_spring_change(alice_client, world, accounts):
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 15, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    response = _move(alice_client, world, message, date="2027-03-30")  # after the change to summer time
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    message.refresh_from_db()
    assert message.scheduled_at == datetime(2027, 3, 30, 7, 15, tzinfo=UTC)  # 09:15 summer time
    publication = message.publications.get()
    assert (publication.state, publication.due_at) == (Publication.State.PENDING, message.scheduled_at)


def test_drop_on_an_hour_in_the_week_view_moves_to_that_hour(alice_client, world, accounts):
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 15, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    assert _move(alice_client, world, message, date="2027-03-25", time="17:00").status_code == 200
    message.refresh_from_db()
    assert message.scheduled_at.astimezone(PARIS) == datetime(2027, 3, 25, 17, 0, tzinfo=PARIS)


def test_times_are_read_in_the_viewer_time_zone(alice_client, world, alice, accounts):
    alice.timezone = "America/Montreal"
    alice.save(update_fields=["timezone"])
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    assert _move(alice_client, world, message, date="2027-03-26", time="08:00").status_code == 200
    message.refresh_from_db()
    assert message.scheduled_at == datetime(2027, 3, 26, 12, 0, tzinfo=UTC)  # 08:00 EDT


def test_no_move_into_the_past_nor_of_a_published_message(alice_client, world, accounts):
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    response = _move(alice_client, world, message, date="2027-03-20")
    assert response.status_code == 422
    assert response.json()["error"] == "Choisissez un moment à venir."
    Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
    message.publications.update(state=Publication.State.PUBLISHED)
    response = _move(alice_client, world, message, date="2027-03-28")
    assert response.status_code == 422
    message.refresh_from_db()
    assert message.scheduled_at == datetime(2027, 3, 24, 8, 0, tzinfo=UTC)
    assert message.publications.get().state == Publication.State.PUBLISHED


def test_move_form_without_javascript_redirects_back_with_a_message(alice_client, world, accounts):
    message = make_scheduled(world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"]])
    url = reverse("atelier:calendar_move", args=[world.section.code, message.code])
    response = alice_client.post(url, {"date": "2027-03-26", "time": "10:30", "back": "vue=semaine&date=2027-03-22"})
    assert response.status_code == 302
    assert response["Location"].endswith("/calendrier/?vue=semaine&date=2027-03-22")
    page = alice_client.get(response["Location"]).content.decode()
    assert "Le message est déplacé." in page
    message.refresh_from_db()
    assert message.scheduled_at.astimezone(PARIS) == datetime(2027, 3, 26, 10, 30, tzinfo=PARIS)


def test_a_message_of_another_structure_cannot_be_moved_through_this_one(alice_client, world, accounts):
    from terrain.structures.services import official_add

    official_add(structure=world.syndicat, user=world.alice, role="secretaire")
    other = make_scheduled(
        world.syndicat, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[make_account(world.syndicat)]
    )
    url = reverse("atelier:calendar_move", args=[world.section.code, other.code])
    assert alice_client.post(url, {"date": "2027-03-26"}).status_code == 404


def test_a_message_being_published_does_not_move(alice_client, world, accounts):
    message = make_scheduled(
        world.section, datetime(2027, 3, 24, 9, 0, tzinfo=PARIS), accounts=[accounts["mastodon"], accounts["bluesky"]]
    )
    message.publications.filter(account=accounts["bluesky"]).update(state=Publication.State.PUBLISHING)
    response = _move(alice_client, world, message, date="2027-03-27")
    assert response.status_code == 422
    assert response.json()["error"] == "Ce message est en cours de publication : il ne peut plus être déplacé."
    message.refresh_from_db()
    assert message.scheduled_at == datetime(2027, 3, 24, 8, 0, tzinfo=UTC)
