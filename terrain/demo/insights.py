"""Demonstration figures for the statistics page: engagement of what went out, followers over five weeks."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Publication
from terrain.insights.models import FollowerSnapshot, LinkClick, MetricSnapshot, MetricsState, TrackedLink

#: Followers of each demo network five weeks ago, and how many it gains a day.
#: Channels the structure owns have no likes nor reposts: only clicks on their links count.
OWNED = {"newsletter", "rss"}
START = {"mastodon": (180, 1.4), "bluesky": (95, 2.2), "newsletter": (240, 0.6)}


def load(world) -> None:
    rng = random.Random(7)
    structure = world.structures["hopital"]
    today = timezone.localdate()
    now = timezone.now()
    for account in ConnectedAccount.objects.filter(structure=structure):
        base, per_day = START.get(account.network, (50, 0.5))
        rows = []
        for day in range(35, -1, -1):
            base += per_day * rng.uniform(0.2, 1.8)
            rows.append(FollowerSnapshot(account=account, day=today - timedelta(days=day), followers=int(base)))
        FollowerSnapshot.objects.bulk_create(rows)
        ConnectedAccount.objects.filter(pk=account.pk).update(followers=rows[-1].followers)
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
