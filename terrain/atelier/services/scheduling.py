"""Queue slots, the next free slot and recurring messages.

Times of slots and recurrences are local wall-clock times in a named zone
(Europe/Paris by default): "every Tuesday at 09:00" stays 09:00 in Paris on both
sides of a daylight-saving change. Each instant is computed by combining the
local date and time, then attaching the zone with ``zoneinfo`` (never by adding
hours to an aware datetime, which would drift by one hour across a change).

A recurrence turns an approved message into a series. Each occurrence is its own
Message (a copy of the text, the variants, the images and the accounts) with
``recurrence`` and ``occurrence_on`` set, scheduled through ``message_schedule``
so that it gets its publications. Occurrences are written up to a horizon
(``HORIZON_DAYS``); a periodic job extends every series day after day. Editing or
ending a series only touches the occurrences still to come and untouched by the
publishing engine: what is out (or on its way out) is never changed nor sent again.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import Message, MessageImage, MessageVariant, QueueSlot, Recurrence
from terrain.atelier.services.publishing import message_leave_calendar, message_schedule
from terrain.atelier.workflows import ON_CALENDAR, SCHEDULABLE, UNDER_WAY

DEFAULT_TIMEZONE = "Europe/Paris"
HORIZON_DAYS = 60
# How far ahead next_free_slot looks before giving up (a queue full for a year is a mistake).
SEARCH_DAYS = 366
# Publication states the engine has started: such an occurrence is never changed again.
STARTED = UNDER_WAY


def local_instant(day: date, at: time, tz_name: str = DEFAULT_TIMEZONE) -> datetime:
    """The aware instant (UTC) of the wall-clock ``at`` on ``day`` in the zone ``tz_name``.

    A time that does not exist (02:30 on the spring change) falls one hour later,
    as clocks do; a time that happens twice (02:30 on the autumn change) is the first.
    """
    zone = ZoneInfo(tz_name)
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    aware = naive.replace(tzinfo=zone)
    # Round trip through UTC normalises a time in the spring gap.
    return aware.astimezone(ZoneInfo("UTC"))


# --- Queue slots --------------------------------------------------------------------------


@transaction.atomic
def slot_add(*, structure, weekday: int, local_time: time, tz_name: str = DEFAULT_TIMEZONE) -> QueueSlot:
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Choose a day of the week.")})
    local_time = local_time.replace(second=0, microsecond=0, tzinfo=None)
    if QueueSlot.objects.filter(structure=structure, weekday=weekday, local_time=local_time).exists():
        raise ValidationError({"local_time": _("This slot is already in the queue.")})
    return QueueSlot.objects.create(structure=structure, weekday=weekday, local_time=local_time, timezone=tz_name)


@transaction.atomic
def slot_delete(*, slot: QueueSlot) -> None:
    slot.delete()


def _taken_instants(structure, start: datetime, end: datetime) -> set[datetime]:
    rows = Message.objects.filter(
        structure=structure, status__in=ON_CALENDAR, scheduled_at__gte=start, scheduled_at__lt=end
    ).values_list("scheduled_at", flat=True)
    return {value.astimezone(ZoneInfo("UTC")) for value in rows}


def slot_instants(slots: list[QueueSlot], start: datetime, end: datetime) -> Iterator[tuple[datetime, QueueSlot]]:
    """Every instant of the weekly ``slots`` in [start, end), in order."""
    if not slots:
        return
    zones = {slot.timezone for slot in slots}
    first = min(start.astimezone(ZoneInfo(z)).date() for z in zones) - timedelta(days=1)
    last = max(end.astimezone(ZoneInfo(z)).date() for z in zones) + timedelta(days=1)
    day = first
    while day <= last:
        found = []
        for slot in slots:
            if slot.weekday == day.weekday():
                instant = local_instant(day, slot.local_time, slot.timezone)
                if start <= instant < end:
                    found.append((instant, slot))
        yield from sorted(found, key=lambda pair: pair[0])
        day += timedelta(days=1)


def next_free_slot(*, structure, after: datetime | None = None) -> datetime:
    """The first slot of the structure's queue after ``after`` (now by default) with no message at that time.

    Raises ValidationError when the structure has no slot, or none free within a year.
    """
    after = after or timezone.now()
    slots = list(QueueSlot.objects.filter(structure=structure))
    if not slots:
        raise ValidationError(_("This structure has no queue slot yet: add some in its strategy."))
    end = after + timedelta(days=SEARCH_DAYS)
    taken = _taken_instants(structure, after, end)
    for instant, _slot in slot_instants(slots, after, end):
        if instant > after and instant not in taken:
            return instant
    raise ValidationError(_("Every slot of the queue is taken for the coming year."))


# --- Recurrences ----------------------------------------------------------------------------


def _add_months(day: date, months: int, wanted_day: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(wanted_day, calendar.monthrange(year, month)[1]))


def occurrence_dates(recurrence: Recurrence, *, until: date) -> Iterator[date]:
    """The dates of the series from its start to ``until`` and its end (both included)."""
    last = min(until, recurrence.ends_on)
    step = max(1, recurrence.interval)
    n = 0
    while True:
        if recurrence.frequency == Recurrence.Frequency.DAILY:
            day = recurrence.starts_on + timedelta(days=n * step)
        elif recurrence.frequency == Recurrence.Frequency.WEEKLY:
            day = recurrence.starts_on + timedelta(weeks=n * step)
        else:  # monthly: the same day of the month, the last one in a shorter month
            day = _add_months(recurrence.starts_on, n * step, recurrence.starts_on.day)
        if day > last:
            return
        yield day
        n += 1


def occurrence_instant(recurrence: Recurrence, day: date) -> datetime:
    return local_instant(day, recurrence.local_time, recurrence.timezone)


def _is_untouched(message: Message, now: datetime) -> bool:
    """Still to come and not started by the engine: an edit of the series may change it."""
    if message.status not in SCHEDULABLE:
        return False
    if message.scheduled_at is not None and message.scheduled_at <= now:
        return False
    return not message.publications.filter(state__in=STARTED).exists()


def _copy_message(source: Message, *, recurrence: Recurrence, day: date) -> Message:
    copy = Message.objects.create(
        structure=source.structure,
        author=source.author,
        title=source.title,
        body=source.body,
        link=source.link,
        status=Message.Status.APPROVED,
        approved_by=source.approved_by,
        approved_at=source.approved_at,
        source_post=source.source_post,
        recurrence=recurrence,
        occurrence_on=day,
    )
    copy.accounts.set(source.accounts.all())
    MessageVariant.objects.bulk_create(
        MessageVariant(message=copy, network=variant.network, body=variant.body) for variant in source.variants.all()
    )
    # The image files are shared: an occurrence never changes its images in place.
    MessageImage.objects.bulk_create(
        MessageImage(
            message=copy,
            image=image.image.name,
            width=image.width,
            height=image.height,
            alt_text=image.alt_text,
            position=image.position,
            source_file_id=image.source_file_id,
        )
        for image in source.images.all()
    )
    return copy


def _template_of(recurrence: Recurrence) -> Message | None:
    """The occurrence new ones are copied from: the latest one (it carries the latest edits)."""
    return (
        Message.objects.filter(recurrence=recurrence)
        .exclude(status=Message.Status.CANCELLED)
        .order_by("-occurrence_on")
        .first()
    )


@transaction.atomic
def recurrence_extend(*, recurrence: Recurrence, by=None, now: datetime | None = None) -> list[Message]:
    """Write the missing occurrences of the series up to the horizon; returns the new ones."""
    now = now or timezone.now()
    recurrence = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
    template = _template_of(recurrence)
    if template is None:
        return []
    horizon = (now + timedelta(days=HORIZON_DAYS)).astimezone(ZoneInfo(recurrence.timezone)).date()
    existing = set(Message.objects.filter(recurrence=recurrence).values_list("occurrence_on", flat=True))
    created = []
    for day in occurrence_dates(recurrence, until=horizon):
        if day in existing:
            continue
        at = occurrence_instant(recurrence, day)
        if at <= now:
            continue
        copy = _copy_message(template, recurrence=recurrence, day=day)
        created.append(message_schedule(message=copy, at=at, by=by or recurrence.created_by))
    return created


@transaction.atomic
def recurrence_create(
    *,
    message: Message,
    frequency: str,
    interval: int,
    starts_on: date,
    local_time: time,
    ends_on: date,
    by,
    tz_name: str = DEFAULT_TIMEZONE,
    now: datetime | None = None,
) -> Recurrence:
    """Repeat an approved message; the message itself becomes the first occurrence."""
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.recurrence_id is not None:
        raise ValidationError(_("This message is already repeated."))
    if message.status not in SCHEDULABLE:
        raise ValidationError(_("Only an approved message can be repeated."))
    if frequency not in Recurrence.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often.")})
    if not 1 <= interval <= 52:
        raise ValidationError({"interval": _("Choose a number between 1 and 52.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end must come after the start.")})
    if ends_on > starts_on + timedelta(days=3 * 366):
        raise ValidationError({"ends_on": _("A series lasts three years at most.")})
    recurrence = Recurrence.objects.create(
        structure=message.structure,
        frequency=frequency,
        interval=interval,
        starts_on=starts_on,
        local_time=local_time.replace(second=0, microsecond=0, tzinfo=None),
        timezone=tz_name,
        ends_on=ends_on,
        created_by=by,
    )
    first_at = occurrence_instant(recurrence, starts_on)
    if first_at <= now:
        raise ValidationError({"starts_on": _("The first publication must be in the future.")})
    message.recurrence = recurrence
    message.occurrence_on = starts_on
    message.save(update_fields=["recurrence", "occurrence_on", "updated_at"])
    message_schedule(message=message, at=first_at, by=by)
    recurrence_extend(recurrence=recurrence, by=by, now=now)
    return recurrence


@dataclass(frozen=True)
class SeriesChanges:
    """What ``recurrence_update`` may change; None leaves a value as it is."""

    frequency: str | None = None
    interval: int | None = None
    local_time: time | None = None
    ends_on: date | None = None
    title: str | None = None
    body: str | None = None
    link: str | None = None


@transaction.atomic
def recurrence_update(*, recurrence: Recurrence, by, changes: SeriesChanges, now: datetime | None = None) -> Recurrence:
    """Change the rule and/or the text of the occurrences still to come.

    An occurrence published, being published, or whose time has come is never
    touched: it keeps its text and time, and is never sent again.
    """
    now = now or timezone.now()
    recurrence = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
    fields = {
        name: getattr(changes, name)
        for name in ("frequency", "interval", "local_time", "ends_on")
        if getattr(changes, name) is not None
    }
    if "frequency" in fields and fields["frequency"] not in Recurrence.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often.")})
    if "interval" in fields and not 1 <= fields["interval"] <= 52:
        raise ValidationError({"interval": _("Choose a number between 1 and 52.")})
    if "ends_on" in fields and fields["ends_on"] < recurrence.starts_on:
        raise ValidationError({"ends_on": _("The end must come after the start.")})
    if "local_time" in fields:
        fields["local_time"] = fields["local_time"].replace(second=0, microsecond=0, tzinfo=None)
    for name, value in fields.items():
        setattr(recurrence, name, value)
    recurrence.save()

    texts = {name: getattr(changes, name) for name in ("title", "body", "link") if getattr(changes, name) is not None}
    horizon = (now + timedelta(days=HORIZON_DAYS)).astimezone(ZoneInfo(recurrence.timezone)).date()
    wanted = set(occurrence_dates(recurrence, until=horizon))
    future = [
        m
        for m in Message.objects.select_for_update().filter(recurrence=recurrence).order_by("occurrence_on")
        if _is_untouched(m, now)
    ]
    for message in future:
        if message.occurrence_on not in wanted:
            # Never sent and no longer in the series: it goes away with its pending publications.
            message.delete()
            continue
        if texts:
            for name, value in texts.items():
                setattr(message, name, value)
            message.save(update_fields=[*texts, "updated_at"])
        at = occurrence_instant(recurrence, message.occurrence_on)
        if at != message.scheduled_at and at > now:
            message_schedule(message=message, at=at, by=by)
    recurrence_extend(recurrence=recurrence, by=by, now=now)
    return recurrence


def _cancel(message: Message, *, by) -> None:
    message_leave_calendar(message=message, transition="cancel", by=by)


@transaction.atomic
def recurrence_end(*, recurrence: Recurrence, by, now: datetime | None = None) -> Recurrence:
    """Stop the series: the occurrences still to come are removed, those out stay out."""
    now = now or timezone.now()
    recurrence = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
    today = now.astimezone(ZoneInfo(recurrence.timezone)).date()
    for message in Message.objects.select_for_update().filter(recurrence=recurrence):
        if _is_untouched(message, now):
            _cancel(message, by=by)
    recurrence.ends_on = max(recurrence.starts_on, min(recurrence.ends_on, today))
    recurrence.save(update_fields=["ends_on"])
    return recurrence


def recurrences_extend_all(*, now: datetime | None = None) -> int:
    """The periodic job: extend every running series up to the horizon; returns how many occurrences were added."""
    now = now or timezone.now()
    added = 0
    for recurrence in Recurrence.objects.filter(ends_on__gte=(now - timedelta(days=1)).date()):
        added += len(recurrence_extend(recurrence=recurrence, now=now))
    return added
