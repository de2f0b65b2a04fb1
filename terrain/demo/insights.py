"""Demonstration figures for the statistics page: engagement of what went out, followers over five weeks.

Each account's follower history climbs to what its network says today (the sandbox's
seeded followers, the newsletter's confirmed subscribers), so that the first count the
clock collects continues the curve instead of breaking it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Publication
from terrain.atelier.services.accounts import account_data
from terrain.demo import sandbox
from terrain.insights.models import FollowerSnapshot, LinkClick, MetricSnapshot, MetricsState, TrackedLink
from terrain.networks.base import ConnectorError
from terrain.networks.registry import get_connector

#: Channels the structure owns have no likes nor reposts: only clicks on their links count.
OWNED = {"newsletter", "rss"}
DAYS = 35


def followers_today(account: ConnectedAccount) -> int | None:
    """What the account's network answers today: the sandbox's seed, or the channel's own count (no network)."""
    seeded = sandbox.account_for(account.network)
    if seeded is not None and sandbox.is_sandbox_address(account.api_base):
        return seeded.followers
    connector = get_connector(account.network)
    if connector.auth_flow != "owned":
        return None
    try:
        return connector.fetch_followers(account_data(account))
    except ConnectorError:
        return None


def history(final: int, *, days: int, rng: random.Random) -> list[int]:
    """``days + 1`` daily counts that never go down and end at ``final`` (oldest first)."""
    counts = [final]
    for _ in range(days):
        lost = rng.choice((0, 0, 1, 1, 2)) if final >= 20 else rng.choice((0, 0, 0, 1))
        counts.append(max(0, counts[-1] - lost))
    return counts[::-1]


def load(world) -> None:
    rng = random.Random(7)
    structure = world.structures["hopital"]
    today = timezone.localdate()
    now = timezone.now()
    for account in ConnectedAccount.objects.filter(structure=structure):
        final = followers_today(account)
        if final is None:
            continue
        counts = history(final, days=DAYS, rng=rng)
        FollowerSnapshot.objects.bulk_create(
            FollowerSnapshot(account=account, day=today - timedelta(days=DAYS - n), followers=count)
            for n, count in enumerate(counts)
        )
        ConnectedAccount.objects.filter(pk=account.pk).update(followers=final)
    for publication in Publication.objects.filter(
        message__structure=structure, state=Publication.State.PUBLISHED
    ).select_related("message", "account"):
        # Evenings and Bluesky do a little better in this demo, so "what worked best" has something to say.
        boost = (1.6 if publication.published_at.hour >= 17 else 1.0) * (
            1.4 if publication.account.network == "bluesky" else 1.0
        )
        if publication.account.network not in OWNED:
            likes, reposts, replies = (int(rng.randint(low, high) * boost) for low, high in ((4, 30), (1, 12), (0, 6)))
            MetricSnapshot.objects.create(
                publication=publication, collected_at=now, likes=likes, reposts=reposts, replies=replies
            )
            MetricsState.objects.create(
                publication=publication, likes=likes, reposts=reposts, replies=replies, collected_at=now, next_at=None
            )
        link = TrackedLink.objects.create(
            message=publication.message,
            publication=publication,
            url="https://www.service-public.fr/particuliers/vosdroits/N19806",
            channel=publication.account.network,
        )
        LinkClick.objects.create(
            link=link, day=timezone.localdate(publication.published_at), channel=link.channel, count=rng.randint(2, 25)
        )
