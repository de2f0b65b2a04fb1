"""The engine with the real Mastodon connector (Mastodon.py) against mastodon-mock."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, Publication
from terrain.atelier.services.engine import publication_run
from terrain.atelier.services.publishing import message_schedule, publications_dispatch_due
from terrain.atelier.tests.publishing_fake import make_message
from terrain.networks.tests.helpers import ForwardingProxy


@pytest.fixture(scope="module")
def mastodon_mock():
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def mastodon(mastodon_mock, settings):
    httpx.post(f"{mastodon_mock.base_url}/api/v1/_mock/reset").raise_for_status()
    settings.ATELIER_LINK_REWRITER = ""
    proxy = ForwardingProxy(mastodon_mock.base_url)  # loses answers on demand, as a broken network does
    proxy.start()
    yield proxy
    proxy.stop()


def statuses(mastodon_mock) -> list[dict]:
    headers = {"Authorization": "Bearer alice_token"}
    me = httpx.get(f"{mastodon_mock.base_url}/api/v1/accounts/verify_credentials", headers=headers).json()
    return httpx.get(f"{mastodon_mock.base_url}/api/v1/accounts/{me['id']}/statuses", headers=headers).json()


def mastodon_account(world, proxy) -> ConnectedAccount:
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="mastodon",
        api_base=proxy.base_url,
        handle="@alice",
        secrets={"access_token": "alice_token"},
        connected_by=world.alice,
    )


@pytest.mark.django_db
def test_published_on_mastodon_once_even_when_the_answer_is_lost(world, mastodon, mastodon_mock):
    account = mastodon_account(world, mastodon)
    message = make_message(world.section, author=world.alice, accounts=[account], body="Grève jeudi à 10 h")
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    publication = message.publications.get()
    Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
    mastodon.drop_next(path_contains="/api/v1/statuses")

    assert publication_run(publication_id=publication.pk) == "checking"
    Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
    assert publications_dispatch_due() == 1

    publication.refresh_from_db()
    assert publication.state == Publication.State.PUBLISHED
    [status] = statuses(mastodon_mock)
    assert publication.remote_id == str(status["id"])
    assert "Grève jeudi à 10 h" in status["content"]
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
    assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["uncertain", "found"]


@pytest.mark.django_db
def test_revoked_mastodon_token_breaks_the_account(world, mastodon, mastodon_mock):
    account = mastodon_account(world, mastodon)
    ConnectedAccount.objects.filter(pk=account.pk).update(secrets={"access_token": "revoked"})
    message = make_message(world.section, author=world.alice, accounts=[account])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    publication = message.publications.get()
    Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))

    assert publication_run(publication_id=publication.pk) == "failed"

    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.BROKEN
    assert statuses(mastodon_mock) == []
