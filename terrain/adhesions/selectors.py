"""Reads of the join requests: the pipeline's list and the conversion figures.

The views call these after the access check (``access.get_pipeline_for``). Robots'
requests (honeypot) never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from terrain.adhesions.models import Event, JoinRequest, Status
from terrain.structures.models import Structure


def pipeline(*, structures: list[Structure]) -> QuerySet[JoinRequest]:
    """The real requests routed to ``structures``, newest first, with what the list shows."""
    return JoinRequest.objects.filter(structure__in=structures, is_spam=False).select_related("assignee", "structure")


def pipeline_filtered(
    *, structures: list[Structure], status: str = "", assignee: str = "", viewer=None, query: str = ""
) -> QuerySet[JoinRequest]:
    requests = pipeline(structures=structures)
    if status in Status.values:
        requests = requests.filter(status=status)
    elif status == "open":
        requests = requests.filter(status__in=[Status.NEW, Status.CONTACTED, Status.MET])
    if assignee == "me" and viewer is not None:
        requests = requests.filter(assignee=viewer)
    elif assignee == "nobody":
        requests = requests.filter(assignee__isnull=True)
    query = query.strip()
    if query:
        requests = requests.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(employer__icontains=query)
            | Q(job__icontains=query)
        )
    return requests


def status_counts(*, structures: list[Structure]) -> dict[str, int]:
    """How many requests in each status: one query."""
    rows = dict(
        JoinRequest.objects.filter(structure__in=structures, is_spam=False)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: rows.get(status, 0) for status in Status.values}


def history(join_request: JoinRequest) -> QuerySet[Event]:
    return join_request.events.select_related("author")


@dataclass
class Figures:
    """One line of the conversion table (a month, or a structure)."""

    label: str
    received: int = 0
    contacted: int = 0
    met: int = 0
    members: int = 0
    delays: list[timedelta] | None = None
    key: object = None

    @property
    def conversion(self) -> int:
        """Members per hundred requests received (rounded)."""
        return round(100 * self.members / self.received) if self.received else 0

    @property
    def bar(self) -> int:
        """The conversion rounded to a step of 5, for the CSS bar's class."""
        return min(100, 5 * round(self.conversion / 5))

    @property
    def median_days(self) -> float | None:
        """Median time from receipt to first contact, in days (one decimal); None before any contact."""
        if not self.delays:
            return None
        return round(median(self.delays).total_seconds() / 86400, 1)


def _counted(requests: QuerySet[JoinRequest], key: str) -> dict:
    return {
        row[key]: row
        for row in requests.values(key)
        .annotate(
            received=Count("id"),
            contacted=Count("id", filter=Q(first_contacted_at__isnull=False)),
            met=Count("id", filter=Q(met_at__isnull=False)),
            members=Count("id", filter=Q(member_at__isnull=False)),
        )
        .order_by()
    }


def _months_back(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    found = []
    for _n in range(months):
        found.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return found


def figures_by_month(*, structures: list[Structure], months: int = 12, now: datetime | None = None) -> list[Figures]:
    """Requests received, contacted, met, made members, per month of receipt (newest first).

    Two queries whatever the number of months: the counts, then the delays to a first
    contact (their median is computed here, the same way on SQLite and PostgreSQL).
    Erased requests count (their dates stay); robots' do not.
    """
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    starts = _months_back(timezone.localtime(now).date(), months)
    since = datetime(starts[-1].year, starts[-1].month, 1, tzinfo=tz)
    requests = JoinRequest.objects.filter(structure__in=structures, is_spam=False, created_at__gte=since).annotate(
        month=TruncMonth("created_at", tzinfo=tz)
    )
    counted = {_as_date(month): row for month, row in _counted(requests, "month").items()}
    delays: dict[date, list[timedelta]] = {}
    for month, received, contacted in requests.filter(first_contacted_at__isnull=False).values_list(
        "month", "created_at", "first_contacted_at"
    ):
        delays.setdefault(_as_date(month), []).append(contacted - received)
    lines = []
    for start in starts:
        row = counted.get(start, {})
        lines.append(
            Figures(
                label=start.strftime("%Y-%m"),
                key=start,
                received=row.get("received", 0),
                contacted=row.get("contacted", 0),
                met=row.get("met", 0),
                members=row.get("members", 0),
                delays=delays.get(start),
            )
        )
    return lines


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def figures_by_structure(*, structures: list[Structure]) -> list[Figures]:
    """The same figures per structure, over all time: two queries for all the structures."""
    requests = JoinRequest.objects.filter(structure__in=structures, is_spam=False)
    counted = _counted(requests, "structure_id")
    delays: dict[int, list[timedelta]] = {}
    for structure_id, received, contacted in requests.filter(first_contacted_at__isnull=False).values_list(
        "structure_id", "created_at", "first_contacted_at"
    ):
        delays.setdefault(structure_id, []).append(contacted - received)
    return [
        Figures(
            label=structure.name,
            key=structure,
            received=counted.get(structure.pk, {}).get("received", 0),
            contacted=counted.get(structure.pk, {}).get("contacted", 0),
            met=counted.get(structure.pk, {}).get("met", 0),
            members=counted.get(structure.pk, {}).get("members", 0),
            delays=delays.get(structure.pk),
        )
        for structure in structures
    ]


def total(lines: list[Figures], label: str) -> Figures:
    every = [delay for line in lines for delay in (line.delays or [])]
    return Figures(
        label=label,
        received=sum(line.received for line in lines),
        contacted=sum(line.contacted for line in lines),
        met=sum(line.met for line in lines),
        members=sum(line.members for line in lines),
        delays=every or None,
    )
