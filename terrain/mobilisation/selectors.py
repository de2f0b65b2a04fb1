"""Reads of the events: what a site, the instance's agenda and the officials see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from terrain.mobilisation.models import Event, EventKind
from terrain.mobilisation.occurrences import Occurrence, next_occurrence, upcoming

#: Most events read for one agenda page (each gives its next dates).
AGENDA_ROWS = 300


def _still_to_come(now: datetime) -> Q:
    return Q(repeat_until__isnull=True, ends_at__gt=now) | Q(repeat_until__gte=timezone.localtime(now).date())


def public_events() -> QuerySet[Event]:
    """Published events of structures whose site is published: all the public ever sees."""
    return Event.objects.filter(published=True, structure__site__published=True).select_related("structure__site")


def site_events(site) -> QuerySet[Event]:
    """The published events of ``site``'s structure (the caller checked the site is published)."""
    return Event.objects.filter(structure_id=site.structure_id, published=True).select_related("structure")


def upcoming_occurrences(
    events: QuerySet[Event], *, now: datetime | None = None, kind: str = "", limit: int = 100, per_event: int = 4
) -> list[Occurrence]:
    """The next dates of ``events``, soonest first, of ``kind`` when given (a weekly event gives at
    most ``per_event`` of them: its page lists more)."""
    now = now or timezone.now()
    events = events.filter(_still_to_come(now))
    if kind:
        events = events.filter(kind=kind)
    return upcoming(events.order_by("starts_at", "id")[:AGENDA_ROWS], after=now, limit=limit, per_event=per_event)


def in_departement(events: QuerySet[Event], departement: str) -> QuerySet[Event]:
    """Events in a département: by their postal code, else by their structure's département."""
    prefix = "20" if departement in ("2A", "2B") else departement
    by_structure = Q(postal_code="", structure__departement=departement)
    return events.filter(Q(postal_code__startswith=prefix) | by_structure)


def next_permanences(structure_ids: list[int], *, now: datetime | None = None) -> dict[int, Occurrence]:
    """The next drop-in hours of each structure, in one query (the locator's cards)."""
    now = now or timezone.now()
    rows = Event.objects.filter(
        _still_to_come(now),
        structure_id__in=structure_ids,
        kind=EventKind.PERMANENCE,
        published=True,
        cancelled=False,
    ).order_by("starts_at", "id")
    found: dict[int, Occurrence] = {}
    for event in rows:
        first = next_occurrence(event, after=now)
        if first and (event.structure_id not in found or first.starts_at < found[event.structure_id].starts_at):
            found[event.structure_id] = first
    return found


def structure_events(structure) -> QuerySet[Event]:
    """Every event of a structure, drafts included, newest first: the officials' list."""
    return Event.objects.filter(structure=structure).order_by("-starts_at", "-id")


def events_for_member(user, *, now: datetime | None = None, limit: int = 5) -> list[Occurrence]:
    """The next published dates of the structures whose cooperative ``user`` belongs to."""
    now = now or timezone.now()
    events = Event.objects.filter(published=True, structure__cooperative__memberships__user=user).select_related(
        "structure"
    )
    return upcoming_occurrences(events.distinct(), now=now, limit=limit)
