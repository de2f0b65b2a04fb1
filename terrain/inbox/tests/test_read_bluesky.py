"""Reading Bluesky into the inbox (``read_account_stream``) against the local XRPC fake: each
item stored once, whatever happens between two readings or inside one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terrain.atelier.models import ConnectedAccount
from terrain.inbox import services
from terrain.inbox.models import Item, Stream
from terrain.networks.base import AccountData, Content
from terrain.networks.bluesky.connector import BlueskyConnector
from terrain.networks.fakes.bluesky import FakeBluesky

HANDLE = "syndicat.bsky.social"
PASSWORD = "app-pass-word-1234"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeBluesky]:
    with FakeBluesky() as server:
        yield server


@pytest.fixture
def fake(server) -> FakeBluesky:
    server.reset()
    return server


@pytest.fixture
def connector() -> BlueskyConnector:
    return BlueskyConnector()


@pytest.fixture
def account(fake) -> AccountData:
    return AccountData(api_base=fake.base_url, secrets={"identifier": HANDLE, "app_password": PASSWORD})


@pytest.fixture
def our_post(connector, account) -> str:
    return connector.publish(account, Content(text="Grève jeudi devant la mairie", marker="m-post")).remote_id


@pytest.fixture
def stored_account(world, fake, connector, account):
    info = connector.validate_credentials(account)
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="bluesky",
        api_base=fake.base_url,
        handle=info.handle,
        remote_id=info.remote_id,
        secrets=account.secrets,
        connected_by=world.alice,
    )


@pytest.mark.django_db
def test_read_twice_through_the_inbox_stores_each_item_once(fake, connector, account, stored_account, our_post):
    for n in range(3):
        fake.post_as("lea.bsky.social", f"Réponse {n}", reply_to=our_post)
    assert services.read_account_stream(stored_account, "notifications") == 3
    assert services.read_account_stream(stored_account, "notifications") == 0
    fake.post_as("marc.bsky.social", "Et moi", mention=HANDLE)
    assert services.read_account_stream(stored_account, "notifications") == 1

    items = Item.objects.order_by("created_at")
    assert [item.text for item in items] == ["Réponse 0", "Réponse 1", "Réponse 2", f"Et moi @{HANDLE}"]
    assert [item.kind for item in items] == ["reply", "reply", "reply", "mention"]


@pytest.mark.django_db
def test_a_crash_between_pages_resumes_without_loss_or_duplicate(
    monkeypatch, fake, connector, account, stored_account, our_post
):

    real_store_page = services.store_page

    def store_then_crash(**kwargs):
        real_store_page(**kwargs)
        raise RuntimeError("worker killed after its first page")

    fake.post_as("lea.bsky.social", "Avant", reply_to=our_post)
    monkeypatch.setattr(services, "store_page", store_then_crash)
    with pytest.raises(RuntimeError):
        services.read_account_stream(stored_account, "notifications")
    monkeypatch.setattr(services, "store_page", real_store_page)
    assert list(Item.objects.values_list("text", flat=True)) == ["Avant"]

    fake.post_as("marc.bsky.social", "Après", reply_to=our_post)
    assert services.read_account_stream(stored_account, "notifications") == 1
    assert services.read_account_stream(stored_account, "notifications") == 0
    assert sorted(Item.objects.values_list("text", flat=True)) == ["Après", "Avant"]


@pytest.mark.django_db
def test_a_crash_inside_a_page_leaves_nothing_and_the_page_is_read_again(
    monkeypatch, fake, connector, account, stored_account, our_post
):
    for n in range(2):
        fake.post_as("lea.bsky.social", f"Réponse {n}", reply_to=our_post)

    def crash_in_transaction(*, stream, **kwargs):
        stream.cursor = "moved"
        stream.save(update_fields=["cursor"])
        raise RuntimeError("killed before the commit")

    monkeypatch.setattr(services, "store_page", services.transaction.atomic(crash_in_transaction))
    with pytest.raises(RuntimeError):
        services.read_account_stream(stored_account, "notifications")
    monkeypatch.undo()
    assert not Item.objects.exists()
    assert Stream.objects.get().cursor == ""

    assert services.read_account_stream(stored_account, "notifications") == 2
    assert Item.objects.count() == 2
