"""Reads of the workshop's home, dashboard and calendar. Every list loads what it shows up front."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from terrain.atelier.models import Cadence, ConnectedAccount, LexiconEntry, Message, QueueSlot, Strategy
from terrain.atelier.services.scheduling import ON_CALENDAR, slot_instants
from terrain.networks import registry
from terrain.structures.models import Official, Structure

WritersLink = Strategy.writers.through
ApproversLink = Strategy.approvers.through


# 1 when member ``%(user)s`` is an official, a writer or an approver somewhere, else 0.
# Plain SQL: every page of a signed-in member draws the menu (``core.menu``: the fact
# ``workshop_role``). Only table and column names are inlined.
_ROLE_LINKS = " OR ".join(
    f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE {model._meta.get_field('user').column} = %(user)s)"  # noqa: S608
    for model in (Official, WritersLink, ApproversLink)
)
WORKSHOP_ROLE_SQL = f"SELECT CASE WHEN {_ROLE_LINKS} THEN 1 ELSE 0 END"


@dataclass
class WorkshopRow:
    structure: Structure
    role: str  # manage, approve, write
    drafts: int = 0
    submitted: int = 0
    scheduled_this_week: int = 0
    broken_accounts: int = 0


def week_bounds(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_current_timezone())


def workshops_of(user) -> list[WorkshopRow]:
    """The structures where ``user`` has a workshop role, with what waits in each.

    Managers: the structures of their mandates, and the structures below them whose
    workshop is in use (it has a strategy). Writers and approvers: where the strategy names them.
    """
    mandates = list(Official.objects.filter(user=user).values_list("structure", flat=True))
    mandate_structures = list(Structure.objects.filter(pk__in=mandates))
    below = Q()
    for structure in mandate_structures:
        below |= Q(path__startswith=structure.path)
    managed = (
        list(Structure.objects.filter(below).filter(Q(pk__in=mandates) | Q(strategy__isnull=False)).distinct())
        if mandate_structures
        else []
    )
    approving = set(ApproversLink.objects.filter(user=user).values_list("strategy__structure_id", flat=True))
    writing = set(WritersLink.objects.filter(user=user).values_list("strategy__structure_id", flat=True))
    rows: dict[int, WorkshopRow] = {s.pk: WorkshopRow(s, "manage") for s in managed}
    others = (approving | writing) - set(rows)
    for structure in Structure.objects.filter(pk__in=others):
        rows[structure.pk] = WorkshopRow(structure, "approve" if structure.pk in approving else "write")
    if not rows:
        return []
    start, end = week_bounds(timezone.localdate())
    counts = (
        Message.objects.filter(structure_id__in=rows)
        .values("structure_id")
        .annotate(
            drafts=Count("pk", filter=Q(status=Message.Status.DRAFT)),
            submitted=Count("pk", filter=Q(status=Message.Status.SUBMITTED)),
            week=Count(
                "pk",
                filter=Q(
                    status=Message.Status.SCHEDULED,
                    scheduled_at__gte=aware_midnight(start),
                    scheduled_at__lt=aware_midnight(end),
                ),
            ),
        )
    )
    for row in counts:
        item = rows[row["structure_id"]]
        item.drafts, item.submitted, item.scheduled_this_week = row["drafts"], row["submitted"], row["week"]
    broken = (
        ConnectedAccount.objects.filter(structure_id__in=rows, status=ConnectedAccount.Status.BROKEN)
        .values("structure_id")
        .annotate(n=Count("pk"))
    )
    for row in broken:
        rows[row["structure_id"]].broken_accounts = row["n"]
    return sorted(rows.values(), key=lambda r: r.structure.path)


# --- Calendar ---------------------------------------------------------------------------------


@dataclass
class Gap:
    network: str
    label: str
    planned: int
    wanted: int
    #: The first day of the week still to come: a message written from the gap starts on it.
    start: date | None = None


@dataclass
class Day:
    day: date
    items: list = field(default_factory=list)
    free_slots: list = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False
    is_past: bool = False


@dataclass
class Week:
    monday: date
    days: list[Day]
    gaps: list[Gap] = field(default_factory=list)


def calendar_messages(structure: Structure, start: datetime, end: datetime) -> list[Message]:
    """Scheduled and published messages between ``start`` and ``end``, with their accounts: two queries."""
    return list(
        Message.objects.filter(
            structure=structure, status__in=ON_CALENDAR, scheduled_at__gte=start, scheduled_at__lt=end
        )
        .select_related("recurrence")
        .prefetch_related("accounts")
        .order_by("scheduled_at", "pk")
    )


def _network_label(network: str) -> str:
    return str(registry.label(network))


def weeks_gaps(weeks: list[Week], messages: list[Message], cadences: list[Cadence]) -> None:
    """Mark, on each week, the networks of the cadence that get fewer messages than asked."""
    per_week: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    today = timezone.localdate()
    for message in messages:
        if message.status not in (Message.Status.SCHEDULED, Message.Status.PUBLISHED):
            continue  # a failed message did not reach anyone
        local_day = timezone.localtime(message.scheduled_at).date()
        monday = local_day - timedelta(days=local_day.weekday())
        for network in {account.network for account in message.accounts.all()}:
            per_week[monday][network] += 1
    for week in weeks:
        if week.monday + timedelta(days=6) < today:
            continue  # a week gone by: too late to act on it
        for cadence in cadences:
            planned = per_week[week.monday][cadence.network]
            if planned < cadence.posts_per_week:
                week.gaps.append(
                    Gap(
                        cadence.network,
                        _network_label(cadence.network),
                        planned,
                        cadence.posts_per_week,
                        start=max(week.monday, today),
                    )
                )


def calendar_weeks(structure: Structure, first: date, last: date, *, month: int | None = None) -> list[Week]:
    """Weeks from the Monday on or before ``first`` to the Sunday on or after ``last``, filled.

    Days are in the viewer's time zone (the active one). Four queries whatever the size.
    """
    start_day = first - timedelta(days=first.weekday())
    end_day = last + timedelta(days=6 - last.weekday())
    start, end = aware_midnight(start_day), aware_midnight(end_day + timedelta(days=1))
    messages = calendar_messages(structure, start, end)
    today = timezone.localdate()
    days: dict[date, Day] = {}
    d = start_day
    while d <= end_day:
        days[d] = Day(d, in_month=month is None or d.month == month, is_today=d == today, is_past=d < today)
        d += timedelta(days=1)
    taken = set()
    for message in messages:
        local = timezone.localtime(message.scheduled_at)
        message.local_at = local
        days[local.date()].items.append(message)
        taken.add(message.scheduled_at)
    now = timezone.now()
    slots = list(QueueSlot.objects.filter(structure=structure))
    for instant, _slot in slot_instants(slots, max(start, now), end):
        if instant not in taken:
            local = timezone.localtime(instant)
            if local.date() in days:
                days[local.date()].free_slots.append(local)
    ordered = list(days.values())
    weeks = [Week(ordered[i].day, ordered[i : i + 7]) for i in range(0, len(ordered), 7)]
    cadences = list(Cadence.objects.filter(strategy__structure=structure).order_by("network"))
    if cadences:
        weeks_gaps(weeks, messages, cadences)
    return weeks


def upcoming_messages(structure: Structure, *, limit: int = 8) -> list[Message]:
    return list(
        Message.objects.filter(structure=structure, status=Message.Status.SCHEDULED, scheduled_at__gte=timezone.now())
        .prefetch_related("accounts")
        .order_by("scheduled_at")[:limit]
    )


def lexicon_of(structure: Structure) -> dict[str, str]:
    """The acronyms the writing coach knows for ``structure``: its own and those of the structures above.

    The nearest structure wins: a section's entry overrides its union's, which
    overrides the federation's. The only reader of the lexicon (composer, live
    check, strategy page), so a union's entry reaches every section below it.
    """
    ids = [*structure.ancestor_ids(), structure.pk]
    depth = {pk: n for n, pk in enumerate(ids)}
    rows = sorted(
        LexiconEntry.objects.filter(structure_id__in=ids).values_list("structure_id", "acronym", "expansion"),
        key=lambda row: depth[row[0]],
    )
    return {acronym: expansion for _structure, acronym, expansion in rows}
