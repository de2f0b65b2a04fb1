from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, Publication
from terrain.networks import registry
from terrain.networks.base import Connector, Metrics


class ScriptedConnector(Connector):
    """Stands in for a network at the connector boundary: answers or errors set by the test."""

    kind = "mastodon"
    label = "Mastodon"
    max_chars = 500
    metrics: dict[str, Metrics] = {}
    followers: int | None = 120
    errors: list[Exception] = []
    calls: list[str] = []

    def fetch_metrics(self, account, remote_id):
        type(self).calls.append(remote_id)
        if type(self).errors:
            raise type(self).errors.pop(0)
        return type(self).metrics.get(remote_id, Metrics())

    def fetch_followers(self, account):
        if type(self).errors:
            raise type(self).errors.pop(0)
        return type(self).followers


@pytest.fixture
def scripted(settings):
    settings.NETWORK_CONNECTORS = {"mastodon": "terrain.insights.tests.conftest.ScriptedConnector"}
    registry._instances.clear()
    ScriptedConnector.metrics, ScriptedConnector.errors, ScriptedConnector.calls = {}, [], []
    ScriptedConnector.followers = 120
    yield ScriptedConnector
    registry._instances.clear()


@pytest.fixture
def account(world):
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="mastodon",
        api_base="http://127.0.0.1:9",
        handle="@section@exemple.social",
        secrets={"access_token": "t"},
        connected_by=world.alice,
    )


def publish(account, *, text: str, remote_id: str, ago: timedelta, author=None) -> Publication:
    """A message already published on ``account`` ``ago`` ago."""
    at = timezone.now() - ago
    message = Message.objects.create(
        structure=account.structure, author=author, body=text, status=Message.Status.PUBLISHED, published_at=at
    )
    return Publication.objects.create(
        message=message,
        account=account,
        state=Publication.State.PUBLISHED,
        due_at=at,
        next_try_at=at,
        published_at=at,
        remote_id=remote_id,
        remote_url=f"https://exemple.social/@section/{remote_id}",
    )
