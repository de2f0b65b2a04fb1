"""Reads of the events: what a site, the instance's agenda and the officials see."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from terrain.lib.rows import Table, joined
from terrain.lib.sql import Statement, in_ids
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


def permanences_statement(connection, structure_ids: list[int], now: datetime) -> Statement:
    """The published drop-in hours of these structures with dates still to come (the rows of
    ``_still_to_come``), in plain SQL: the locator's cards (``registry.LocatorFacts``); their
    rows become the next dates with ``next_permanences``."""
    select = joined(connection, Table(Event, "e"))
    where, params = in_ids(connection, "e.structure_id", structure_ids)
    sql = (
        f"SELECT {select.columns} FROM {connection.ops.quote_name(Event._meta.db_table)} e"  # noqa: S608 (names from _meta)
        f" WHERE {where} AND e.kind = %s AND e.published = %s AND e.cancelled = %s"
        " AND ((e.repeat_until IS NULL AND e.ends_at > %s) OR e.repeat_until >= %s)"
        " ORDER BY e.starts_at, e.id"
    )
    ops = connection.ops
    return sql, [
        *params,
        EventKind.PERMANENCE.value,
        True,
        False,
        ops.adapt_datetimefield_value(now),
        ops.adapt_datefield_value(timezone.localtime(now).date()),
    ]


def next_permanences(rows: list[tuple], *, now: datetime | None = None) -> dict[int, Occurrence]:
    """The next drop-in hours of each structure, from the rows of ``permanences_statement``."""
    now = now or timezone.now()
    found: dict[int, Occurrence] = {}
    for (event,) in joined(connection, Table(Event, "e")).instances(rows):
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
