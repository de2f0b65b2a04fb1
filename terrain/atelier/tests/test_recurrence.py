"""Recurring messages: occurrences are copies scheduled at the same local time, edits never re-publish."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from terrain.atelier.models import Message, MessageVariant, Publication, Recurrence
from terrain.atelier.services.scheduling import (
    SeriesChanges,
    recurrence_create,
    recurrence_end,
    recurrence_update,
    recurrences_extend_all,
)
from terrain.atelier.tests.plan_factories import make_account, make_message

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)  # Monday, two weeks before the spring change


@pytest.fixture
def series_message(world):
    account = make_account(world.section)
    message = make_message(world.section, author=world.alice, accounts=[account], body="Permanence syndicale")
    MessageVariant.objects.create(message=message, network="mastodon", body="Permanence #syndicat")
    return message


def _weekly(message, by, *, ends_on=date(2027, 4, 30), at=time(9, 0), tz="Europe/Paris"):
    return recurrence_create(
        message=message,
        frequency=Recurrence.Frequency.WEEKLY,
        interval=1,
        starts_on=date(2027, 3, 16),
        local_time=at,
        ends_on=ends_on,
        by=by,
        tz_name=tz,
    )


@time_machine.travel(START, tick=False)
def test_weekly_series_keeps_nine_o_clock_in_paris_across_the_spring_change(series_message, alice):
    recurrence = _weekly(series_message, alice)
    occurrences = list(Message.objects.filter(recurrence=recurrence).order_by("occurrence_on"))
    assert [m.occurrence_on for m in occurrences] == [
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
        date(2027, 4, 13),
        date(2027, 4, 20),
        date(2027, 4, 27),
    ]
    assert occurrences[0].pk == series_message.pk  # the message itself is the first one
    assert {m.scheduled_at.astimezone(PARIS).time() for m in occurrences} == {time(9, 0)}
    assert occurrences[1].scheduled_at == datetime(2027, 3, 23, 8, 0, tzinfo=UTC)  # winter time
    assert occurrences[2].scheduled_at == datetime(2027, 3, 30, 7, 0, tzinfo=UTC)  # summer time
    copy = occurrences[3]
    assert copy.status == Message.Status.SCHEDULED
    assert copy.body == "Permanence syndicale"
    assert list(copy.variants.values_list("network", "body")) == [("mastodon", "Permanence #syndicat")]
    assert list(copy.accounts.all()) == list(series_message.accounts.all())
    assert (
        Publication.objects.filter(message=copy, state=Publication.State.PENDING, due_at=copy.scheduled_at).count() == 1
    )


@time_machine.travel(datetime(2027, 10, 20, 10, 0, tzinfo=UTC), tick=False)
def test_daily_series_across_the_autumn_change_for_a_user_in_montreal(series_message, alice):
    """Someone in Montréal sets a daily 08:00 Montréal time: both zones change their clocks on different days."""
    recurrence = recurrence_create(
        message=series_message,
        frequency=Recurrence.Frequency.DAILY,
        interval=1,
        starts_on=date(2027, 10, 25),
        local_time=time(8, 0),
        ends_on=date(2027, 11, 10),
        by=alice,
        tz_name="America/Montreal",
    )
    montreal = ZoneInfo("America/Montreal")
    times = {m.occurrence_on: m.scheduled_at for m in Message.objects.filter(recurrence=recurrence)}
    assert len(times) == 17
    assert {at.astimezone(montreal).time() for at in times.values()} == {time(8, 0)}
    assert times[date(2027, 10, 30)] == datetime(2027, 10, 30, 12, 0, tzinfo=UTC)  # EDT
    assert times[date(2027, 11, 8)] == datetime(2027, 11, 8, 13, 0, tzinfo=UTC)  # EST (changed 7 November)
    # In Paris (changed 31 October) the same publication is 13:00 then 14:00... then 14:00 after both changes.
    assert times[date(2027, 11, 2)].astimezone(PARIS).hour == 13


@time_machine.travel(START, tick=False)
def test_the_periodic_job_extends_series_up_to_the_horizon(series_message, alice):
    recurrence = _weekly(series_message, alice, ends_on=date(2027, 12, 31))
    assert Message.objects.filter(recurrence=recurrence).count() == 9  # up to 60 days ahead
    assert recurrences_extend_all() == 0  # nothing new today
    with time_machine.travel(datetime(2027, 4, 15, 10, 0, tzinfo=UTC), tick=False):
        assert recurrences_extend_all() == 4  # 18 and 25 May, 1 and 8 June
        last = Message.objects.filter(recurrence=recurrence).order_by("-occurrence_on").first()
        assert last.occurrence_on == date(2027, 6, 8)
        assert last.scheduled_at.astimezone(PARIS).time() == time(9, 0)


@time_machine.travel(START, tick=False)
def test_editing_a_series_never_touches_nor_republishes_what_is_out(series_message, alice):
    recurrence = _weekly(series_message, alice)
    first = Message.objects.get(recurrence=recurrence, occurrence_on=date(2027, 3, 16))
    second = Message.objects.get(recurrence=recurrence, occurrence_on=date(2027, 3, 23))
    with time_machine.travel(datetime(2027, 3, 24, 10, 0, tzinfo=UTC), tick=False):
        # The engine has published the first; the second is being published right now.
        first.publications.update(state=Publication.State.PUBLISHED, published_at=timezone.now())
        Message.objects.filter(pk=first.pk).update(status=Message.Status.PUBLISHED)
        second.publications.update(state=Publication.State.PUBLISHING)
        recurrence_update(
            recurrence=recurrence,
            by=alice,
            changes=SeriesChanges(local_time=time(18, 30), body="Permanence : nouvel horaire"),
        )
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.body == "Permanence syndicale" and first.status == Message.Status.PUBLISHED
        assert first.publications.get().state == Publication.State.PUBLISHED
        assert second.body == "Permanence syndicale"
        assert second.scheduled_at.astimezone(PARIS).time() == time(9, 0)
        assert second.publications.get().state == Publication.State.PUBLISHING
        coming = list(Message.objects.filter(recurrence=recurrence, occurrence_on__gt=date(2027, 3, 24)))
        assert coming
        for message in coming:
            assert message.body == "Permanence : nouvel horaire"
            assert message.scheduled_at.astimezone(PARIS).time() == time(18, 30)
            assert message.publications.get().due_at == message.scheduled_at
        # Never a second publication of what is out.
        assert Publication.objects.filter(message__in=[first, second]).count() == 2


@time_machine.travel(START, tick=False)
def test_a_rule_change_removes_coming_occurrences_that_no_longer_fit(series_message, alice):
    recurrence = _weekly(series_message, alice)
    recurrence_update(recurrence=recurrence, by=alice, changes=SeriesChanges(interval=2))
    days = sorted(Message.objects.filter(recurrence=recurrence).values_list("occurrence_on", flat=True))
    assert days == [date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 13), date(2027, 4, 27)]


@time_machine.travel(START, tick=False)
def test_ending_a_series_cancels_only_what_is_to_come(series_message, alice):
    recurrence = _weekly(series_message, alice)
    first = Message.objects.get(recurrence=recurrence, occurrence_on=date(2027, 3, 16))
    with time_machine.travel(datetime(2027, 3, 20, 10, 0, tzinfo=UTC), tick=False):
        first.publications.update(state=Publication.State.PUBLISHED)
        Message.objects.filter(pk=first.pk).update(status=Message.Status.PUBLISHED)
        recurrence_end(recurrence=recurrence, by=alice)
        assert recurrences_extend_all() == 0
    statuses = dict(Message.objects.filter(recurrence=recurrence).values_list("occurrence_on", "status"))
    assert statuses.pop(date(2027, 3, 16)) == Message.Status.PUBLISHED
    assert set(statuses.values()) == {Message.Status.CANCELLED}
    assert not Publication.objects.filter(message__recurrence=recurrence, state=Publication.State.PENDING).exists()
    recurrence.refresh_from_db()
    assert recurrence.ends_on == date(2027, 3, 20)


@time_machine.travel(START, tick=False)
def test_only_an_approved_message_becomes_a_series(world, alice):
    draft = make_message(world.section, accounts=[make_account(world.section)], status=Message.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        _weekly(draft, alice)
    assert not Recurrence.objects.exists()


@time_machine.travel(START, tick=False)
def test_a_series_must_start_in_the_future(series_message, alice):
    with pytest.raises(ValidationError):
        recurrence_create(
            message=series_message,
            frequency="weekly",
            interval=1,
            starts_on=date(2027, 3, 14),
            local_time=time(9),
            ends_on=date(2027, 4, 1),
            by=alice,
        )
    assert not Recurrence.objects.exists()


def test_monthly_series_on_the_31st_uses_the_last_day_of_shorter_months(series_message, alice):
    with time_machine.travel(datetime(2027, 1, 2, tzinfo=UTC), tick=False):
        recurrence = recurrence_create(
            message=series_message,
            frequency="monthly",
            interval=1,
            starts_on=date(2027, 1, 31),
            local_time=time(9),
            ends_on=date(2027, 4, 30),
            by=alice,
        )
    days = sorted(Message.objects.filter(recurrence=recurrence).values_list("occurrence_on", flat=True))
    assert days == [date(2027, 1, 31), date(2027, 2, 28)]  # the horizon is 60 days


def test_the_task_extends_series(series_message, alice):
    from terrain.atelier.tasks_plan import recurrences_extend

    with time_machine.travel(START, tick=False):
        recurrence = _weekly(series_message, alice, ends_on=date(2027, 12, 31))
    with time_machine.travel(datetime(2027, 4, 15, 10, 0, tzinfo=UTC), tick=False):
        result = recurrences_extend.enqueue()
    assert result.return_value == 4
    assert Message.objects.filter(recurrence=recurrence).count() == 13
