"""Dates of events: a weekly rule expanded on read, in local time (the hours stay put across
daylight saving time changes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from terrain.mobilisation.models import Event

#: Most dates one weekly event gives (a year of weeks): the rule's end is capped at that too.
MAX_WEEKS = 53


@dataclass(frozen=True)
class Occurrence:
    event: Event
    starts_at: datetime
    ends_at: datetime

    @property
    def same_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() == timezone.localtime(self.ends_at).date()

    @property
    def key(self) -> str:
        """Unique per date of the event (the .ics UID of a weekly event's date)."""
        return f"{self.event.code}-{self.starts_at.strftime('%Y%m%dT%H%M%SZ')}"


def _shift(moment: datetime, weeks: int) -> datetime:
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + timedelta(weeks=weeks)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def occurrences(event: Event, *, after: datetime | None = None, limit: int = MAX_WEEKS) -> Iterator[Occurrence]:
    """The dates of ``event`` that end after ``after`` (every date when None), oldest first."""
    if event.repeat_until is None:
        if after is None or event.ends_at > after:
            yield Occurrence(event, event.starts_at, event.ends_at)
        return
    given = 0
    for week in range(MAX_WEEKS):
        starts = _shift(event.starts_at, week)
        if timezone.localtime(starts).date() > event.repeat_until:
            return
        ends = _shift(event.ends_at, week)
        if after is not None and ends <= after:
            continue
        yield Occurrence(event, starts, ends)
        given += 1
        if given >= limit:
            return


def next_occurrence(event: Event, *, after: datetime) -> Occurrence | None:
    return next(occurrences(event, after=after, limit=1), None)


def upcoming(events: Iterable[Event], *, after: datetime, limit: int, per_event: int = 8) -> list[Occurrence]:
    """The next ``limit`` dates of ``events`` by start (a weekly event gives at most ``per_event``)."""
    found = [found for event in events for found in occurrences(event, after=after, limit=per_event)]
    found.sort(key=lambda o: (o.starts_at, o.event.pk))
    return found[:limit]


def last_day(starts_at: datetime) -> date:
    """The latest ``repeat_until`` accepted for an event starting at ``starts_at``."""
    return timezone.localtime(starts_at).date() + timedelta(weeks=MAX_WEEKS - 1)
