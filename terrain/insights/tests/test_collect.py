from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount
from terrain.insights.models import FollowerSnapshot, MetricSnapshot, MetricsState
from terrain.insights.services import (
    followers_collect,
    metrics_collect_due,
    next_refresh,
)
from terrain.insights.tests.conftest import publish
from terrain.networks.base import AuthError, Metrics, TransientError

pytestmark = pytest.mark.django_db


def test_figures_are_stored_with_their_history_and_asked_again_later(scripted, account):
    publication = publish(account, text="Grève jeudi", remote_id="101", ago=timedelta(minutes=90))
    scripted.metrics = {"101": Metrics(likes=12, reposts=4, replies=2)}

    assert metrics_collect_due() == 1

    state = MetricsState.objects.get(publication=publication)
    assert (state.likes, state.reposts, state.replies) == (12, 4, 2)
    # Published 90 minutes ago: the 1-hour look is done, the next is at 6 hours.
    assert state.next_at == publication.published_at + timedelta(hours=6)
    assert MetricSnapshot.objects.filter(publication=publication).count() == 1

    # Not due again yet: nothing is asked.
    assert metrics_collect_due() == 0
    assert scripted.calls == ["101"]

    scripted.metrics = {"101": Metrics(likes=30, reposts=9, replies=5)}
    assert metrics_collect_due(now=publication.published_at + timedelta(hours=7)) == 1
    state.refresh_from_db()
    assert state.likes == 30
    assert MetricSnapshot.objects.filter(publication=publication).count() == 2


def test_old_publications_are_no_longer_asked():
    published = timezone.now() - timedelta(days=40)
    assert next_refresh(published_at=published, now=timezone.now()) is None
    recent = timezone.now() - timedelta(minutes=5)
    assert next_refresh(published_at=recent, now=timezone.now()) == recent + timedelta(hours=1)


def test_each_account_is_asked_at_most_a_few_times_per_run(scripted, account, settings):
    settings.INSIGHTS_CALLS_PER_ACCOUNT = 3
    for n in range(5):
        publish(account, text=f"Message {n}", remote_id=str(n), ago=timedelta(hours=2))
    assert metrics_collect_due() == 3
    assert len(scripted.calls) == 3
    # The rest come at the next run.
    assert metrics_collect_due() == 2


def test_rate_limited_answer_waits_at_least_what_the_network_asks(scripted, account):
    publication = publish(account, text="Pétition", remote_id="7", ago=timedelta(hours=2))
    scripted.errors = [TransientError("Trop de requêtes", status=429, retry_after=3600)]
    before = timezone.now()
    metrics_collect_due()
    state = MetricsState.objects.get(publication=publication)
    assert state.next_at >= before + timedelta(seconds=3600)
    assert "Trop de requêtes" in state.last_error
    assert not MetricSnapshot.objects.exists()


def test_expired_token_marks_the_account_and_stops_asking_it(scripted, account, django_capture_on_commit_callbacks):
    publish(account, text="A", remote_id="1", ago=timedelta(hours=2))
    publish(account, text="B", remote_id="2", ago=timedelta(hours=2))
    scripted.errors = [AuthError("Le jeton a expiré", status=401)]
    with django_capture_on_commit_callbacks(execute=True):
        metrics_collect_due()
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.BROKEN
    assert scripted.calls == ["1"]
    assert any("alice@example.org" in m.to for m in mail.outbox)


def test_followers_one_row_per_day(scripted, account):
    followers_collect(account=account)
    scripted.followers = 125
    followers_collect(account=account)
    snapshot = FollowerSnapshot.objects.get(account=account)
    assert snapshot.followers == 125
    account.refresh_from_db()
    assert account.followers == 125
    followers_collect(account=account, now=timezone.now() + timedelta(days=1))
    assert FollowerSnapshot.objects.filter(account=account).count() == 2
