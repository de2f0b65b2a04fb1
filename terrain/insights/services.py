"""Collect engagement figures and followers from the networks, within their rate limits.

Figures move fast after publication and then settle, so a publication is asked
again 1 hour, 6 hours, 1, 3, 7 and 30 days after it went out, then never. Each
run asks at most ``INSIGHTS_CALLS_PER_ACCOUNT`` times per account, leaving the
network's quota to publishing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Publication
from terrain.atelier.services.accounts import account_data, account_mark_broken, account_save_secrets
from terrain.insights.models import FollowerSnapshot, MetricSnapshot, MetricsState
from terrain.networks.base import AuthError, ConnectorError, TransientError
from terrain.networks.registry import get_connector

logger = logging.getLogger(__name__)

#: Ages after publication at which the figures are fetched again.
REFRESH_AGES = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=30),
)


def next_refresh(*, published_at: datetime, now: datetime) -> datetime | None:
    for age in REFRESH_AGES:
        if published_at + age > now:
            return published_at + age
    return None


def calls_per_account() -> int:
    return int(getattr(settings, "INSIGHTS_CALLS_PER_ACCOUNT", 30))


def due_publications(*, now: datetime, limit: int) -> list[Publication]:
    """Published publications whose figures are due: never asked, or asked and due again."""
    return list(
        Publication.objects.select_related("account", "metrics_state")
        .filter(state=Publication.State.PUBLISHED, account__status=ConnectedAccount.Status.ACTIVE)
        .exclude(remote_id="")
        .filter(Q(metrics_state__isnull=True) | Q(metrics_state__next_at__lte=now))
        .order_by("published_at")[:limit]
    )


def metrics_collect_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """One run of the periodic job; returns how many publications were asked."""
    now = now or timezone.now()
    asked: dict[int, int] = {}
    broken: set[int] = set()
    done = 0
    for publication in due_publications(now=now, limit=limit):
        account_id = publication.account_id
        if account_id in broken or asked.get(account_id, 0) >= calls_per_account():
            continue
        asked[account_id] = asked.get(account_id, 0) + 1
        if not metrics_collect(publication=publication, now=now):
            broken.add(account_id)
        done += 1
    return done


def _state_for(publication: Publication) -> MetricsState:
    state = MetricsState.objects.filter(publication=publication).first()
    return state or MetricsState(publication=publication, next_at=None)


def metrics_collect(*, publication: Publication, now: datetime | None = None) -> bool:
    """Ask the network for one publication's figures. False when the account must be reconnected."""
    now = now or timezone.now()
    account = publication.account
    connector = get_connector(account.network)
    data = account_data(account)
    state = _state_for(publication)
    try:
        metrics = connector.fetch_metrics(data, publication.remote_id)
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        return False
    except TransientError as error:
        wait = max(error.retry_after or 0, 15 * 60)
        state.next_at = now + timedelta(seconds=wait)
        state.last_error = error.message[:300]
        state.save()
        return True
    except (ConnectorError, NotImplementedError) as error:
        # This network gives no figures for this post (or refuses to): stop asking.
        state.next_at = None
        state.last_error = str(getattr(error, "message", "") or error.__class__.__name__)[:300]
        state.save()
        return True
    finally:
        if data.secrets_changed:
            account_save_secrets(account=account, data=data)
    with transaction.atomic():
        MetricSnapshot.objects.create(
            publication=publication,
            collected_at=now,
            likes=metrics.likes,
            reposts=metrics.reposts,
            replies=metrics.replies,
        )
        state.likes, state.reposts, state.replies = metrics.likes, metrics.reposts, metrics.replies
        state.collected_at = now
        state.checks += 1
        state.last_error = ""
        state.next_at = next_refresh(published_at=publication.published_at or now, now=now)
        state.save()
    return True


def followers_collect(*, account: ConnectedAccount, now: datetime | None = None) -> FollowerSnapshot | None:
    """Today's follower count of one account (one row per day, the last figure of the day wins)."""
    now = now or timezone.now()
    connector = get_connector(account.network)
    data = account_data(account)
    try:
        followers = connector.fetch_followers(data)
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        return None
    except (ConnectorError, NotImplementedError) as error:
        logger.info("followers of %s not collected: %s", account.code, error)
        return None
    finally:
        if data.secrets_changed:
            account_save_secrets(account=account, data=data)
    if followers is None:
        return None
    day = timezone.localdate(now)
    with transaction.atomic():
        snapshot, _ = FollowerSnapshot.objects.update_or_create(
            account=account, day=day, defaults={"followers": followers}
        )
        ConnectedAccount.objects.filter(pk=account.pk).update(followers=followers)
    return snapshot


def followers_collect_all(*, now: datetime | None = None) -> int:
    count = 0
    for account in ConnectedAccount.objects.filter(status=ConnectedAccount.Status.ACTIVE).iterator():
        if followers_collect(account=account, now=now) is not None:
            count += 1
    return count
