"""Writing events: the rules an official meets, nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from terrain.mobilisation import services
from terrain.mobilisation.models import Attendance, Event, EventKind
from terrain.mobilisation.tests.conftest import in_days, make_event
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _errors(**values) -> dict:
    with pytest.raises(ValidationError) as caught:
        services.event_create(**values)
    return caught.value.message_dict


def test_a_new_event_is_a_draft(world):
    event = make_event(world, published=False)
    assert not event.published
    assert event.code and len(event.code) == 14


def test_end_before_start_is_refused(world):
    start = in_days(2)
    errors = _errors(
        structure=world.section, by=world.alice, kind="strike", title="Grève", starts_at=start, ends_at=start
    )
    assert "ends_at" in errors
    assert not Event.objects.exists()


def test_a_new_event_in_the_past_is_refused(world):
    start = in_days(-1)
    errors = _errors(
        structure=world.section,
        by=world.alice,
        kind="strike",
        title="Grève",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    assert "starts_at" in errors


def test_an_event_gone_by_can_still_be_corrected_without_moving_it(world):
    event = make_event(world)
    Event.objects.filter(pk=event.pk).update(starts_at=in_days(-3), ends_at=in_days(-3) + timedelta(hours=2))
    event.refresh_from_db()
    services.event_update(event=event, by=world.alice, title="Manifestation (compte rendu)")
    event.refresh_from_db()
    assert event.title == "Manifestation (compte rendu)"


def test_only_drop_in_hours_repeat_and_for_a_year_at_most(world):
    start = in_days(1)
    base = {"structure": world.section, "by": world.alice, "title": "Permanence", "starts_at": start}
    base["ends_at"] = start + timedelta(hours=2)
    assert "repeat_until" in _errors(kind="strike", repeat_until=start.date() + timedelta(weeks=4), **base)
    assert "repeat_until" in _errors(kind="permanence", repeat_until=start.date() + timedelta(weeks=60), **base)
    assert "repeat_until" in _errors(kind="permanence", repeat_until=start.date() - timedelta(days=1), **base)
    event = services.event_create(kind="permanence", repeat_until=start.date() + timedelta(weeks=10), **base)
    assert event.repeats


def test_coordinates_come_in_pairs_and_postal_codes_have_five_digits(world):
    start = in_days(1)
    base = {"structure": world.section, "by": world.alice, "kind": "meeting", "title": "Réunion publique"}
    base["starts_at"] = start
    base["ends_at"] = start + timedelta(hours=2)
    assert "latitude" in _errors(latitude=45.7, **base)
    assert "postal_code" in _errors(postal_code="6900", **base)


def test_an_image_needs_its_description(world):
    start = in_days(1)
    errors = _errors(
        structure=world.section,
        by=world.alice,
        kind="demonstration",
        title="Manif",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        image=make_image_file("manif.png", fmt="PNG"),
    )
    assert "image_alt" in errors


def test_publish_and_cancel(world):
    event = make_event(world, published=False)
    services.event_publish(event=event, published=True, by=world.alice)
    first = Event.objects.get(pk=event.pk).published_at
    assert first is not None
    services.event_publish(event=event, published=False, by=world.alice)
    services.event_publish(event=event, published=True, by=world.alice)
    assert Event.objects.get(pk=event.pk).published_at == first  # the feed keeps its date
    services.event_cancel(event=event, cancelled=True, reason="Préfecture : interdiction", by=world.alice)
    event.refresh_from_db()
    assert event.cancelled and event.cancel_reason == "Préfecture : interdiction"
    services.event_cancel(event=event, cancelled=False, reason="ignored", by=world.alice)
    event.refresh_from_db()
    assert not event.cancelled and event.cancel_reason == ""


def test_attendance_is_counted_once_per_client_and_keeps_no_address(world):
    event = make_event(world)
    assert services.event_attend(event=event, client_key="client-a")
    assert not services.event_attend(event=event, client_key="client-a")
    assert services.event_attend(event=event, client_key="client-b")
    event.refresh_from_db()
    assert event.attending == 2
    keys = list(Attendance.objects.values_list("client_key", flat=True))
    assert "client-a" not in keys and all(len(key) == 32 for key in keys)


def test_a_draft_or_cancelled_event_counts_nobody(world):
    draft = make_event(world, published=False)
    assert not services.event_attend(event=draft, client_key="client-a")
    cancelled = make_event(world, title="Annulée")
    services.event_cancel(event=cancelled, cancelled=True, by=world.alice)
    assert not services.event_attend(event=cancelled, client_key="client-a")
    assert not Attendance.objects.exists()
    assert Event.objects.filter(attending__gt=0).count() == 0


def test_kinds_are_the_five_of_the_issue():
    assert set(EventKind.values) == {"demonstration", "strike", "permanence", "meeting", "other"}
