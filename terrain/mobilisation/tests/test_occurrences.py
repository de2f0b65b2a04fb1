"""Weekly drop-in hours expanded on read, in local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from terrain.mobilisation.models import Event
from terrain.mobilisation.occurrences import MAX_WEEKS, next_occurrence, occurrences, upcoming

PARIS = ZoneInfo("Europe/Paris")


def _event(start: datetime, *, hours: int = 3, until: date | None = None, pk: int = 1) -> Event:
    return Event(pk=pk, code=f"code{pk}", starts_at=start, ends_at=start + timedelta(hours=hours), repeat_until=until)


def test_a_single_event_has_one_date():
    start = datetime(2030, 3, 5, 14, tzinfo=PARIS)
    assert [o.starts_at for o in occurrences(_event(start))] == [start]
    assert list(occurrences(_event(start), after=start + timedelta(hours=4))) == []


def test_weekly_until_a_day_included():
    start = datetime(2030, 3, 5, 14, tzinfo=PARIS)  # a Tuesday
    dates = list(occurrences(_event(start, until=date(2030, 3, 26))))
    assert [o.starts_at.date() for o in dates] == [date(2030, 3, d) for d in (5, 12, 19, 26)]


def test_the_hours_stay_put_across_daylight_saving_time():
    start = datetime(2030, 3, 19, 14, tzinfo=PARIS)  # summer time starts on 31 March 2030
    for o in occurrences(_event(start, until=date(2030, 4, 30))):
        local = o.starts_at.astimezone(PARIS)
        assert (local.hour, local.minute) == (14, 0)
        assert o.ends_at.astimezone(PARIS).hour == 17


def test_dates_gone_by_are_skipped_and_a_year_is_the_most():
    start = datetime(2030, 1, 1, 9, tzinfo=PARIS)
    event = _event(start, until=date(2040, 1, 1))
    assert len(list(occurrences(event))) == MAX_WEEKS
    after = datetime(2030, 1, 20, tzinfo=PARIS)
    assert next_occurrence(event, after=after).starts_at.date() == date(2030, 1, 22)


def test_upcoming_mixes_events_by_date():
    weekly = _event(datetime(2030, 1, 1, 9, tzinfo=PARIS), until=date(2030, 3, 1), pk=1)
    single = _event(datetime(2030, 1, 9, 9, tzinfo=PARIS), pk=2)
    found = upcoming([weekly, single], after=datetime(2030, 1, 2, tzinfo=PARIS), limit=3)
    assert [(o.event.pk, o.starts_at.day) for o in found] == [(1, 8), (2, 9), (1, 15)]
