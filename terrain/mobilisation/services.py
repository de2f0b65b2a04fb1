"""Writes of the events: every change goes through here."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.cooperatives.models import Cooperative
from terrain.feed.services import activity_record
from terrain.mobilisation.feed_items import EVENT_PUBLISHED
from terrain.mobilisation.models import Attendance, Event, EventKind
from terrain.mobilisation.occurrences import last_day
from terrain.structures.models import Structure

#: Fields an official edits on the event's form.
EDITABLE = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "repeat_until",
    "place_name",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "co_organisers",
    "image_alt",
)


def _clean(values: dict, *, event: Event | None, now: datetime) -> dict:
    values = {key: values[key] for key in EDITABLE if key in values}
    for key, value in list(values.items()):
        if isinstance(value, str):
            values[key] = value.strip()
    merged = {key: getattr(event, key) for key in EDITABLE} if event else {}
    merged.update(values)
    errors: dict[str, str] = {}
    if not merged.get("title"):
        errors["title"] = _("Give the event a title.")
    if merged.get("kind") not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Give the day and time it starts.")
    if ends is None:
        errors["ends_at"] = _("Give the day and time it ends.")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The end must come after the start.")
    moved = event is None or (starts is not None and starts != event.starts_at)
    if starts and moved and starts < now:
        errors["starts_at"] = _("This date is past: an event is announced before it happens.")
    until = merged.get("repeat_until")
    if until and starts:
        if until < timezone.localtime(starts).date():
            errors["repeat_until"] = _("The last week cannot come before the first date.")
        elif until > last_day(starts):
            errors["repeat_until"] = _("A weekly event repeats for a year at most: choose an earlier last day.")
    if until and merged.get("kind") != EventKind.PERMANENCE:
        errors["repeat_until"] = _("Only drop-in hours repeat every week.")
    postal = merged.get("postal_code") or ""
    if postal and not (len(postal) == 5 and postal.isdigit()):
        errors["postal_code"] = _("A postal code has five digits, for example 69003.")
    if (merged.get("latitude") is None) != (merged.get("longitude") is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
    if errors:
        raise ValidationError(errors)
    return values


def _image(event: Event, *, image, clear_image: bool) -> None:
    if clear_image:
        event.image = ""
    if image is not None:
        event.image = image
    if event.image and not event.image_alt:
        raise ValidationError({"image_alt": _("Describe the image for people who cannot see it.")})


@transaction.atomic
def event_create(*, structure: Structure, by, image=None, now: datetime | None = None, **values) -> Event:
    """A new event of ``structure``, a draft until :func:`event_publish`."""
    cleaned = _clean(values, event=None, now=now or timezone.now())
    event = Event(structure=structure, created_by=by, **cleaned)
    _image(event, image=image, clear_image=False)
    event.full_clean(exclude=["structure", "image", "created_by"])
    event.save()
    return event


@transaction.atomic
def event_update(
    *, event: Event, by, image=None, clear_image: bool = False, now: datetime | None = None, **values
) -> Event:
    """Change an event. A date already past is kept as it is; a new date must be to come."""
    cleaned = _clean(values, event=event, now=now or timezone.now())
    event = Event.objects.select_for_update().get(pk=event.pk)
    for key, value in cleaned.items():
        setattr(event, key, value)
    _image(event, image=image, clear_image=clear_image)
    event.full_clean(exclude=["structure", "image", "created_by"])
    event.save()
    return event


@transaction.atomic
def event_publish(*, event: Event, published: bool, by) -> Event:
    """Show the event on the structure's site and the instance's agenda, or take it back as a draft."""
    changes: dict = {"published": published}
    first = published and event.published_at is None
    if first:
        changes["published_at"] = timezone.now()
    Event.objects.filter(pk=event.pk).update(**changes)
    for key, value in changes.items():
        setattr(event, key, value)
    cooperative = Cooperative.objects.filter(structure_id=event.structure_id).first() if first else None
    if cooperative is not None:
        # The structure's members hear of it once, in their feed (feed_items.EVENT_PUBLISHED).
        activity_record(cooperative=cooperative, actor=by, verb=EVENT_PUBLISHED, target=event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, cancelled: bool, reason: str = "", by) -> Event:
    """Mark the event cancelled (it stays shown, marked so), or on again."""
    reason = reason.strip()[:300] if cancelled else ""
    Event.objects.filter(pk=event.pk).update(cancelled=cancelled, cancel_reason=reason)
    event.cancelled, event.cancel_reason = cancelled, reason
    return event


def attendance_key(event: Event, client_key: str) -> str:
    return hashlib.blake2b(f"{event.code}:{client_key}".encode(), digest_size=16).hexdigest()


@transaction.atomic
def event_attend(*, event: Event, client_key: str) -> bool:
    """Count one "I'll be there" of a client; False when this client was already counted, or when
    the event is no longer open to it (a draft, cancelled). ``client_key`` is already a hash."""
    try:
        with transaction.atomic():
            Attendance.objects.create(event=event, client_key=attendance_key(event, client_key))
    except IntegrityError:
        return False
    counted = Event.objects.filter(pk=event.pk, published=True, cancelled=False).update(attending=F("attending") + 1)
    if not counted:
        transaction.set_rollback(True)
        return False
    return True
