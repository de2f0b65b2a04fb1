"""The inbox side of the Bluesky connector against the local XRPC fake."""

from __future__ import annotations

import json

import pytest

from terrain.networks.base import AuthError, Content, PermanentError, TransientError
from terrain.networks.tests.fixtures.bluesky import (  # noqa: F401 (fixtures)
    HANDLE,
    account_fixture,
    connector_fixture,
    fake_fixture,
    server_fixture,
)


@pytest.fixture
def our_post(connector, account) -> str:
    return connector.publish(account, Content(text="Grève jeudi devant la mairie", marker="m-post")).remote_id


def test_declares_what_it_reads(connector):
    assert connector.inbox_streams == ("notifications",)
    assert connector.can_search
    assert connector.read_limit.calls > 0


def test_a_page_of_replies_and_mentions_oldest_first(connector, fake, account, our_post):
    first = fake.post_as("lea.bsky.social", "On sera là !", reply_to=our_post)
    fake.post_as("marc.bsky.social", "Vous avez vu le tract de", mention=HANDLE)
    deeper = fake.post_as("nina.bsky.social", "Moi aussi", reply_to=first)  # in our thread, answers Léa
    fake.like(our_post)  # not a notification to answer

    page = connector.fetch_inbound(account, "notifications", "")

    assert [item.author_handle for item in page.items] == ["@lea.bsky.social", "@marc.bsky.social"]
    reply, mention = page.items
    assert (reply.kind, reply.parent, reply.parent_is_ours) == ("reply", our_post, True)
    assert reply.remote_id == first and reply.text == "On sera là !"
    assert reply.url.startswith("https://bsky.app/profile/lea.bsky.social/post/")
    refs = json.loads(reply.reply_to)
    assert refs["parent"]["uri"] == first and refs["root"]["uri"] == our_post  # the thread starts at our post
    assert (mention.kind, mention.parent, mention.parent_is_ours) == ("mention", "", False)
    assert mention.text.endswith(f"@{HANDLE}")
    assert deeper not in [item.remote_id for item in page.items]  # Nina answered Léa: no notification to us
    assert page.cursor


def test_resumes_from_the_cursor_nothing_twice_nothing_lost(connector, fake, account, our_post):
    fake.post_as("lea.bsky.social", "Un", reply_to=our_post)
    first = connector.fetch_inbound(account, "notifications", "")
    assert len(first.items) == 1

    again = connector.fetch_inbound(account, "notifications", first.cursor)
    assert again.items == () and again.cursor == first.cursor

    # More than one page of the network arrives between two readings: the walk goes back to the mark.
    texts = [f"Réponse {n}" for n in range(230)]
    for text in texts:
        fake.post_as("marc.bsky.social", text, reply_to=our_post)
    later = connector.fetch_inbound(account, "notifications", first.cursor)
    assert [item.text for item in later.items] == texts
    assert len(fake.calls("GET", "listNotifications")) == 2 + 3  # 230 in pages of 100


def test_a_notification_sharing_the_instant_of_the_mark_is_not_lost(connector, fake, account, our_post):
    fake.post_as("lea.bsky.social", "Un", reply_to=our_post)
    first = connector.fetch_inbound(account, "notifications", "")
    same_instant = dict(fake.account(HANDLE).notifications[-1], uri="at://did:plc:x/app.bsky.feed.post/2")
    fake.add_notification(HANDLE, same_instant)
    later = connector.fetch_inbound(account, "notifications", first.cursor)
    assert [item.remote_id for item in later.items] == ["at://did:plc:x/app.bsky.feed.post/2"]


def test_a_server_omitting_optional_fields_and_a_malformed_item(connector, fake, account):
    fake.add_notification(HANDLE, {"reason": "mention", "record": {"text": "no uri"}})
    fake.add_notification(HANDLE, {"uri": "at://did:plc:y/app.bsky.feed.post/1", "reason": "mention",
                                   "record": {"text": "Bonjour"}, "indexedAt": "not a date"})  # fmt: skip
    fake.add_notification(HANDLE, "garbage")  # type: ignore[arg-type]
    fake.add_notification(HANDLE, {"uri": "at://did:plc:z/app.bsky.feed.post/1", "reason": "mention",
                                   "author": {"did": "did:plc:z"}, "record": {"text": "Sans cid ni nom"}})  # fmt: skip

    page = connector.fetch_inbound(account, "notifications", "")

    [item] = page.items
    assert item.text == "Sans cid ni nom" and item.author_handle == ""
    assert item.reply_to == ""  # no cid: no way to answer it, but it is shown


def test_rate_limited_reading_says_when_to_come_back(connector, fake, account):
    connector.validate_credentials(account)
    fake.rate_limit_next(reset_in=120, path_contains="listNotifications")
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "notifications", "")
    assert caught.value.status == 429
    assert 100 < caught.value.retry_after <= 120


def test_server_error_is_transient(connector, fake, account):
    connector.validate_credentials(account)
    fake.fail_next(502, path_contains="listNotifications")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "notifications", "")


def test_expired_session_is_renewed_and_a_revoked_password_is_an_auth_error(connector, fake, account, our_post):
    fake.post_as("lea.bsky.social", "Un", reply_to=our_post)
    fake.expire_token(account.secrets["access_jwt"])
    assert len(connector.fetch_inbound(account, "notifications", "").items) == 1  # renewed once, silently
    fake.revoke_password(HANDLE)
    fake.expire_token(account.secrets["access_jwt"])
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "notifications", "")


def test_malformed_json_is_transient(connector, fake, account):
    connector.validate_credentials(account)
    fake.fail_next(200, body=b'{"notifications": [', path_contains="listNotifications")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "notifications", "")


def test_search_finds_public_posts_then_only_new_ones(connector, fake, account):
    fake.post_as("lea.bsky.social", "Le Syndicat des cheminots appelle à la grève")
    fake.post_as("marc.bsky.social", "Rien à voir")
    first = connector.search_public(account, "syndicat des cheminots", "")
    assert [(item.kind, item.author_handle) for item in first.items] == [("watch", "@lea.bsky.social")]

    fake.post_as("nina.bsky.social", "syndicat des cheminots : AG demain")
    second = connector.search_public(account, "syndicat des cheminots", first.cursor)
    assert [item.author_handle for item in second.items] == ["@nina.bsky.social"]
    assert fake.calls("GET", "searchPosts")[-1].query["since"]


def test_reply_goes_in_the_thread_once(connector, fake, account, our_post):
    first = fake.post_as("lea.bsky.social", "On sera là !", reply_to=our_post)
    [item] = connector.fetch_inbound(account, "notifications", "").items
    content = Content(text="Merci Léa, à jeudi !", marker="m-reply-1")

    sent = connector.reply(account, item.reply_to, content)
    again = connector.reply(account, item.reply_to, content)  # a retry after an uncertain outcome

    assert again == sent
    ours = [p for p in fake.posts(HANDLE) if p.get("reply")]
    assert len(ours) == 1
    assert ours[0]["reply"]["parent"]["uri"] == first
    assert ours[0]["reply"]["root"]["uri"] == our_post  # the thread of our post, where Léa answered
    assert ours[0]["text"] == "Merci Léa, à jeudi !"


def test_reply_after_a_lost_answer_is_not_sent_twice(connector, fake, account, our_post):
    fake.post_as("lea.bsky.social", "On sera là !", reply_to=our_post)
    [item] = connector.fetch_inbound(account, "notifications", "").items
    content = Content(text="Merci !", marker="m-reply-2")
    fake.drop_next(path_contains="createRecord")
    with pytest.raises(TransientError):  # UncertainOutcome
        connector.reply(account, item.reply_to, content)
    connector.reply(account, item.reply_to, content)
    assert len([p for p in fake.posts(HANDLE) if p.get("reply")]) == 1


def test_an_unknown_stream_is_refused(connector, account):
    with pytest.raises(PermanentError):
        connector.fetch_inbound(account, "messages", "")
