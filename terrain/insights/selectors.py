"""Reads for the statistics pages. The caller has checked access to the structure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.db.models import Sum
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Publication
from terrain.insights.models import FollowerSnapshot, LinkClick


@dataclass
class PublicationStats:
    publication: Publication
    likes: int
    reposts: int
    replies: int
    clicks: int

    @property
    def engagement(self) -> int:
        return self.likes + self.reposts + self.replies + self.clicks


@dataclass
class Bucket:
    """Publications grouped by one key (a network, a weekday, an hour)."""

    key: object
    label: str
    publications: int = 0
    engagement: int = 0

    @property
    def average(self) -> float:
        return self.engagement / self.publications if self.publications else 0.0


@dataclass
class NetworkTotals:
    network: str
    label: str
    publications: int = 0
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    clicks: int = 0
    best: PublicationStats | None = None

    @property
    def engagement(self) -> int:
        return self.likes + self.reposts + self.replies + self.clicks

    @property
    def average(self) -> float:
        return self.engagement / self.publications if self.publications else 0.0


@dataclass
class BestTimes:
    by_network: list[Bucket] = field(default_factory=list)
    by_weekday: list[Bucket] = field(default_factory=list)
    by_hour: list[Bucket] = field(default_factory=list)


def clicks_by_publication(publication_ids: list[int]) -> dict[int, int]:
    """Clicks on the tracked links of these publications, in one query."""
    if not publication_ids:
        return {}
    rows = (
        LinkClick.objects.filter(link__publication_id__in=publication_ids)
        .values("link__publication_id")
        .annotate(total=Sum("count"))
    )
    return {row["link__publication_id"]: row["total"] for row in rows}


def _with_figures(publications: list[Publication]) -> list[PublicationStats]:
    """Each publication with its latest figures (loaded with ``metrics_state``) and its clicks."""
    clicks = clicks_by_publication([p.pk for p in publications])
    rows = []
    for publication in publications:
        state = getattr(publication, "metrics_state", None)
        rows.append(
            PublicationStats(
                publication=publication,
                likes=state.likes if state else 0,
                reposts=state.reposts if state else 0,
                replies=state.replies if state else 0,
                clicks=clicks.get(publication.pk, 0),
            )
        )
    return rows


def publication_stats(*, structure, since: datetime) -> list[PublicationStats]:
    """Every publication of the structure that went out since ``since``, newest first, with its latest figures."""
    publications = list(
        Publication.objects.select_related("account", "message", "metrics_state")
        .filter(message__structure=structure, state=Publication.State.PUBLISHED, published_at__gte=since)
        .order_by("-published_at", "-id")
    )
    return _with_figures(publications)


def network_totals(rows: list[PublicationStats]) -> list[NetworkTotals]:
    totals: dict[str, NetworkTotals] = {}
    for row in rows:
        account = row.publication.account
        total = totals.setdefault(account.network, NetworkTotals(account.network, account.get_network_display()))
        total.publications += 1
        total.likes += row.likes
        total.reposts += row.reposts
        total.replies += row.replies
        total.clicks += row.clicks
        if total.best is None or row.engagement > total.best.engagement:
            total.best = row
    return sorted(totals.values(), key=lambda t: (-t.average, t.label))


def best_times(rows: list[PublicationStats], *, tz: tzinfo, weekday_names: list[str]) -> BestTimes:
    """Average engagement per publication by network, by weekday and by hour (in ``tz``)."""
    networks: dict[str, Bucket] = {}
    weekdays = [Bucket(day, weekday_names[day]) for day in range(7)]
    hours = [Bucket(hour, f"{hour:02d} h") for hour in range(24)]
    for row in rows:
        account = row.publication.account
        local = timezone.localtime(row.publication.published_at, tz)
        bucket = networks.setdefault(account.network, Bucket(account.network, account.get_network_display()))
        for b in (bucket, weekdays[local.weekday()], hours[local.hour]):
            b.publications += 1
            b.engagement += row.engagement
    return BestTimes(
        by_network=sorted(networks.values(), key=lambda b: -b.average),
        by_weekday=weekdays,
        by_hour=[h for h in hours if h.publications],
    )


@dataclass
class FollowerSeries:
    account: ConnectedAccount
    points: list[tuple[object, int]]

    @property
    def change(self) -> int:
        return self.points[-1][1] - self.points[0][1] if len(self.points) > 1 else 0


def follower_series(*, structure, since: datetime) -> list[FollowerSeries]:
    accounts = list(ConnectedAccount.objects.filter(structure=structure).exclude(status="disconnected"))
    points: dict[int, list[tuple[object, int]]] = defaultdict(list)
    for snap in FollowerSnapshot.objects.filter(account__in=accounts, day__gte=since.date()).order_by("day"):
        points[snap.account_id].append((snap.day, snap.followers))
    return [FollowerSeries(account, points[account.pk]) for account in accounts if points[account.pk]]


def message_stats(*, message) -> list[PublicationStats]:
    """The figures of one message on each network (for the message page)."""
    publications = list(
        Publication.objects.select_related("account", "metrics_state").filter(
            message=message, state=Publication.State.PUBLISHED
        )
    )
    return _with_figures(publications)
