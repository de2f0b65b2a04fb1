"""Token renewal of a stored account across workers (the X connector against its fake).

The connector renews inside ``AccountData.renewal``; the workshop's ``account_data``
holds the stored row while it does, so a refresh token that works once is spent once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from terrain.atelier.models import ConnectedAccount
from terrain.atelier.services.accounts import account_data
from terrain.networks.fakes.x import CLIENT_ID, CLIENT_SECRET, FakeX
from terrain.networks.x.connector import XConnector


@pytest.fixture(scope="module")
def server() -> Iterator[FakeX]:
    with FakeX() as server:
        yield server


@pytest.fixture
def fake(server, settings) -> FakeX:
    settings.X_CLIENT_ID = CLIENT_ID
    settings.X_CLIENT_SECRET = CLIENT_SECRET
    server.reset()
    return server


@pytest.fixture
def connector() -> XConnector:
    return XConnector()


def _stored_account(world, fake, *, expired: bool):
    tokens = fake.issue_tokens()
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="x",
        handle="@syndicat",
        api_base=fake.base_url,
        secrets={
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "expires_at": time.time() - 10 if expired else time.time() + 3600,
            "client_id": CLIENT_ID,
        },
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_holding_a_spent_token_takes_the_renewed_one_instead_of_spending_the_refresh_token_again(
    connector, fake, world
):
    """Two workers read the account before either renewed its expired token. The first
    renews (X rotates: its refresh token is now spent); the second must not renew with
    the spent one (X would refuse, and the account would look disconnected): it finds
    the renewed token stored and uses it."""
    stored = _stored_account(world, fake, expired=True)
    first, second = account_data(stored), account_data(stored)
    assert connector.fetch_followers(first) == 1234
    assert not first.secrets_changed  # stored within the renewal, before anyone else could look
    stored.refresh_from_db()
    assert stored.secrets["access_token"] == first.secrets["access_token"]

    assert connector.fetch_followers(second) == 1234
    assert second.secrets["access_token"] == first.secrets["access_token"]
    assert [r.path for r in fake.requests].count("/2/oauth2/token") == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_renewing_at_once_renew_once(connector, fake, world):
    """The same, at the same moment, on PostgreSQL (row lock): one renewal, both calls succeed."""
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL")
    stored = _stored_account(world, fake, expired=True)
    datas = [account_data(stored), account_data(stored)]
    fake.slow_next(0.5, path_contains="/2/oauth2/token")  # the first renewal is slow: the second must wait
    results, errors = [], []

    def work(data):
        try:
            results.append(connector.fetch_followers(data))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(data,)) for data in datas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == [1234, 1234]
    assert [r.path for r in fake.requests].count("/2/oauth2/token") == 1
