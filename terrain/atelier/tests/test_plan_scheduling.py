"""Queue slots and the next free slot, on both sides of daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from terrain.atelier.services.scheduling import local_instant, next_free_slot, slot_add
from terrain.atelier.tests.plan_factories import make_account, make_scheduled

PARIS = ZoneInfo("Europe/Paris")


def test_local_instant_keeps_the_wall_clock_across_the_spring_change():
    before = local_instant(datetime(2027, 3, 27).date(), time(9, 0))  # Saturday, winter time (UTC+1)
    after = local_instant(datetime(2027, 3, 28).date(), time(9, 0))  # Sunday, summer time (UTC+2)
    assert before == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert after == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert after.astimezone(PARIS).hour == 9


def test_a_time_in_the_spring_gap_falls_an_hour_later_and_an_ambiguous_time_is_the_first():
    gap = local_instant(datetime(2027, 3, 28).date(), time(2, 30))
    assert gap.astimezone(PARIS).strftime("%H:%M") == "03:30"
    twice = local_instant(datetime(2027, 10, 31).date(), time(2, 30))
    assert twice == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time, the first of the two


def test_no_slot_is_a_clear_error(world):
    with pytest.raises(ValidationError):
        next_free_slot(structure=world.section)


def test_slot_twice_is_refused(world):
    slot_add(structure=world.section, weekday=1, local_time=time(9))
    with pytest.raises(ValidationError):
        slot_add(structure=world.section, weekday=1, local_time=time(9))


@time_machine.travel(datetime(2027, 3, 22, 10, 0, tzinfo=UTC), tick=False)  # Monday before the change
def test_next_free_slot_skips_taken_slots_and_stays_at_local_time_across_the_spring_change(world):
    section = world.section
    slot_add(structure=section, weekday=1, local_time=time(9))  # Tuesday 09:00
    slot_add(structure=section, weekday=0, local_time=time(18))  # Monday 18:00
    account = make_account(section)
    first = next_free_slot(structure=section)
    assert first == datetime(2027, 3, 22, 17, 0, tzinfo=UTC)  # today 18:00 Paris (UTC+1)
    make_scheduled(section, first, accounts=[account])
    second = next_free_slot(structure=section)
    assert second.astimezone(PARIS) == datetime(2027, 3, 23, 9, 0, tzinfo=PARIS)
    make_scheduled(section, second, accounts=[account])
    # The next Monday is after the change to summer time: still 18:00 in Paris, 16:00 UTC.
    third = next_free_slot(structure=section)
    assert third == datetime(2027, 3, 29, 16, 0, tzinfo=UTC)
    assert third.astimezone(PARIS).hour == 18


@time_machine.travel(datetime(2027, 10, 29, 12, 0, tzinfo=UTC), tick=False)  # Friday before the autumn change
def test_next_free_slot_after_the_autumn_change(world):
    section = world.section
    slot_add(structure=section, weekday=0, local_time=time(9))
    found = next_free_slot(structure=section)
    assert found == datetime(2027, 11, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 winter time (UTC+1)


def test_next_free_slot_after_a_given_moment(world):
    section = world.section
    slot_add(structure=section, weekday=2, local_time=time(12, 30))
    after = datetime(2030, 1, 2, 11, 30, tzinfo=UTC)  # Wednesday 12:30 Paris exactly: strictly after
    assert next_free_slot(structure=section, after=after) == datetime(2030, 1, 9, 11, 30, tzinfo=UTC)


def test_slots_in_another_time_zone(world):
    section = world.section
    slot_add(structure=section, weekday=0, local_time=time(8), tz_name="Indian/Reunion")  # UTC+4, no summer time
    after = datetime(2030, 1, 1, tzinfo=UTC)  # a Tuesday
    assert next_free_slot(structure=section, after=after) == datetime(2030, 1, 7, 4, 0, tzinfo=UTC)
