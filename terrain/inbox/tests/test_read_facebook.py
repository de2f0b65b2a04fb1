"""Reading a Facebook Page's comments into the inbox (``read_account_stream``) against the local Graph API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terrain.atelier.models import ConnectedAccount
from terrain.inbox.models import Item, Stream
from terrain.inbox.services import account_source, read_account_stream
from terrain.networks.tests.fixtures.facebook import account_fixture, connector_fixture, fake_fixture, post_fixture  # noqa: F401 (fixtures)


def stored_page(world, fake, account) -> ConnectedAccount:
    """The fake's Page, connected to the section as the accounts page would store it."""
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="facebook",
        handle="Section",
        remote_id=fake.page_id,
        api_base=fake.base_url,
        secrets=dict(account.secrets),
    )


@pytest.mark.django_db
def test_through_the_inbox_a_thread_per_comment_and_nothing_twice(world, fake, connector, account, post):
    stored = stored_page(world, fake, account)
    start = datetime.now(UTC) - timedelta(minutes=5)
    first = fake.add_comment(post, "Quelle salle ?", at=start)
    assert read_account_stream(stored, "comments") == 1
    fake.add_comment(first, "Et à quelle heure ?", author="Chloé", at=start + timedelta(minutes=1))
    fake.add_comment(post, "Bravo", author="Dan", at=start + timedelta(minutes=2))
    assert read_account_stream(stored, "comments") == 2
    assert read_account_stream(stored, "comments") == 0

    items = list(Item.objects.order_by("created_at"))
    assert [i.text for i in items] == ["Quelle salle ?", "Et à quelle heure ?", "Bravo"]
    # Comments on our post and the answers under them make one thread: the post's.
    assert len({i.conversation_id for i in items}) == 1


@pytest.mark.django_db
def test_a_page_connected_without_messenger_goes_on_publishing(world, fake, connector, account, post):
    # The Page's admin declined pages_messaging in Facebook's dialog: Graph answers (#200).
    stored = stored_page(world, fake, account)
    error = {"message": "(#200) Requires pages_messaging permission to manage the object", "type": "OAuthException"}
    fake.fail_next(403, json={"error": {**error, "code": 200}}, path_contains="/conversations")
    assert read_account_stream(stored, "messages") == 0
    stored.refresh_from_db()
    assert stored.status == ConnectedAccount.Status.ACTIVE
    stream = Stream.objects.get(source=account_source(stored), name="messages")
    assert stream.needs_permission and "pages_messaging" in stream.last_error
    # The comments are still read.
    fake.add_comment(post, "Quelle salle ?", at=datetime.now(UTC) - timedelta(minutes=1))
    assert read_account_stream(stored, "comments") == 1
