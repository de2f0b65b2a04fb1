"""The inbox side of the X connector against the local X API v2 fake."""

from __future__ import annotations

import time

import pytest

from terrain.networks.base import AuthError, Content, PermanentError, RejectedContent, TransientError
from terrain.networks.tests.fixtures.x import account_fixture, connector_fixture, fake_fixture, server_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def our_post(connector, account) -> str:
    return connector.publish(account, Content(text="Grève jeudi devant la mairie")).remote_id


def test_declares_what_it_reads(connector):
    assert connector.inbox_streams == ("mentions",)
    assert not connector.can_search  # no recent search without a tier that allows it
    assert (connector.read_limit.calls, connector.read_limit.seconds) == (10, 900)


def test_a_page_of_replies_and_mentions_oldest_first(connector, fake, account, our_post):
    first = fake.post_as("lea", "On sera là !", reply_to=our_post)
    mention = fake.post_as("marc", "Le tract de @syndicat est sorti")
    fake.post_as("nina", "Rien à voir")

    page = connector.fetch_inbound(account, "mentions", "")

    assert [item.remote_id for item in page.items] == [first, mention]
    reply, named = page.items
    assert (reply.kind, reply.parent, reply.parent_is_ours, reply.reply_to) == ("reply", our_post, True, first)
    assert reply.text == "@syndicat On sera là !"
    assert (reply.author_handle, reply.author_name) == ("@lea", "Lea")
    assert reply.url == f"https://x.com/lea/status/{first}"
    assert (named.kind, named.parent, named.parent_is_ours) == ("mention", "", False)
    assert page.cursor == mention


def test_resumes_from_since_id_nothing_twice_nothing_lost(connector, fake, account, our_post):
    fake.post_as("lea", "Un", reply_to=our_post)
    first = connector.fetch_inbound(account, "mentions", "")
    assert connector.fetch_inbound(account, "mentions", first.cursor).items == ()

    texts = [f"@syndicat Réponse {n}" for n in range(250)]
    for text in texts:
        fake.post_as("marc", text)
    later = connector.fetch_inbound(account, "mentions", first.cursor)
    assert [item.text for item in later.items] == texts  # three pages of X, read back to the cursor
    assert later.cursor == later.items[-1].remote_id
    calls = fake.calls("GET", "/mentions")
    assert calls[-1].query["since_id"] == [first.cursor] and "pagination_token" in calls[-1].query


def test_an_answer_without_includes_and_a_malformed_item(connector, fake, account):
    fake.omit_includes = True
    kept = fake.post_as("marc", "Bonjour @syndicat")
    fake.add_raw_mention({"id": "not-a-number", "text": "?"})
    fake.add_raw_mention({"id": "1400000000000000000"})  # no text
    fake.add_raw_mention("garbage")

    page = connector.fetch_inbound(account, "mentions", "")

    [item] = page.items
    assert item.remote_id == kept
    assert item.author_handle == "" and item.author_name  # the author's id, for want of a name


def test_rate_limited_reading_says_when_to_come_back(connector, fake, account):
    fake.rate_limit_next(reset_in=600, path_contains="/mentions")
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "mentions", "")
    assert caught.value.status == 429
    assert 500 < caught.value.retry_after <= 600


def test_server_error_is_transient(connector, fake, account):
    fake.fail_next(503, path_contains="/mentions")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "mentions", "")


def test_expired_token_is_refreshed_then_a_revoked_app_is_an_auth_error(connector, fake, account, our_post):
    fake.post_as("lea", "Un", reply_to=our_post)
    fake.expire_token(account.secrets["access_token"])
    account.secrets["expires_at"] = time.time() + 3600  # the connector does not know it yet: X answers 401
    assert len(connector.fetch_inbound(account, "mentions", "").items) == 1
    assert account.secrets_changed
    fake.revoke()
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "mentions", "")


def test_malformed_json_is_transient(connector, fake, account):
    fake.fail_next(200, body=b'{"data": [{"id": ', path_contains="/mentions")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "mentions", "")


def test_reply_is_sent_once(connector, fake, account, our_post):
    first = fake.post_as("lea", "On sera là !", reply_to=our_post)
    content = Content(text="Merci Léa, à jeudi !", marker="m-1")

    sent = connector.reply(account, first, content)
    again = connector.reply(account, first, content)  # a retry: found among our latest posts

    assert again == sent
    answers = [t for t in fake.tweets() if t.get("referenced_tweets")]
    assert len(answers) == 1
    assert answers[0]["referenced_tweets"] == [{"type": "replied_to", "id": first}]
    assert answers[0]["text"] == "@lea Merci Léa, à jeudi !"


def test_reply_after_a_lost_answer_is_not_sent_twice(connector, fake, account, our_post):
    first = fake.post_as("lea", "On sera là !", reply_to=our_post)
    fake.drop_next(path_contains="/2/tweets")
    content = Content(text="Merci !", marker="m-2")
    with pytest.raises(TransientError):  # UncertainOutcome
        connector.reply(account, first, content)
    connector.reply(account, first, content)
    assert len([t for t in fake.tweets() if t.get("referenced_tweets")]) == 1


def test_reply_to_a_deleted_post_is_refused_content_not_a_broken_account(connector, fake, account):
    with pytest.raises(RejectedContent):
        connector.reply(account, "1999999999999999999", Content(text="Trop tard"))


def test_an_unknown_stream_is_refused(connector, account):
    with pytest.raises(PermanentError):
        connector.fetch_inbound(account, "notifications", "")
