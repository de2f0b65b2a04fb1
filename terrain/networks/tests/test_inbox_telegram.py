"""The inbox side of the Telegram connector (comments in the channel's discussion group)
against the local Bot API fake."""

from __future__ import annotations

import pytest

from terrain.networks.base import AccountData, AuthError, Content, PermanentError, TransientError
from terrain.networks.fakes.telegram import BOT_TOKEN
from terrain.networks.tests.fixtures.telegram import connector_fixture, fake_fixture, server_fixture  # noqa: F401 (fixtures)

CHANNEL = -1001234567890


@pytest.fixture(autouse=True)
def group(fake) -> int:
    """The channel's discussion group, where its comments are: every test here has one."""
    fake.link_discussion_group()
    return fake.channels[CHANNEL].linked_chat_id


@pytest.fixture
def account(fake) -> AccountData:
    """The channel as stored once connected: its number, which the group's updates carry."""
    return AccountData(
        api_base=fake.base_url,
        secrets={"bot_token": BOT_TOKEN, "chat_id": "@syndicat_info"},
        remote_id=str(CHANNEL),
    )


@pytest.fixture
def our_post(connector, account) -> int:
    return int(connector.publish(account, Content(text="Grève jeudi devant la mairie")).remote_id)


def test_declares_what_it_reads(connector):
    assert connector.inbox_streams == ("comments",)
    assert not connector.can_search


def test_a_page_of_comments_oldest_first(connector, fake, account, group, our_post):
    fake.comment(our_post, "On sera là !")
    fake.group_message("Quelqu'un a le tract ?")  # talk in the group, not a comment on a post
    second = fake.comment(our_post, "Et le parking ?", first_name="Marc", username="")
    fake.comment(0, "Moi aussi", to_message=second["message_id"])  # answers Marc, not the post

    page = connector.fetch_inbound(account, "comments", "")

    assert [item.text for item in page.items] == ["On sera là !", "Et le parking ?"]
    first, other = page.items
    assert (first.kind, first.parent, first.parent_is_ours) == ("comment", str(our_post), True)
    assert first.reply_to == first.remote_id == f"{group}:{first.remote_id.split(':')[1]}"
    assert (first.author_handle, first.author_name) == ("@lea", "Léa")
    assert first.url == f"https://t.me/syndicat_info/{our_post}?comment={first.remote_id.split(':')[1]}"
    assert (other.author_handle, other.author_name) == ("", "Marc")


def test_resumes_from_the_offset_nothing_twice_nothing_lost(connector, fake, account, our_post):
    fake.comment(our_post, "Un")
    first = connector.fetch_inbound(account, "comments", "")
    assert [item.text for item in first.items] == ["Un"]
    again = connector.fetch_inbound(account, "comments", first.cursor)
    assert again.items == ()

    fake.comment(our_post, "Deux")
    later = connector.fetch_inbound(account, "comments", again.cursor)
    assert [item.text for item in later.items] == ["Deux"]


def test_reading_never_confirms_a_recent_post_that_find_published_may_need(connector, fake, account, our_post):
    """getUpdates with an offset makes Telegram forget the updates below it: the inbox keeps the
    channel's recent posts (a lost publication is looked for there), and still hands each comment once."""
    fake.comment(our_post, "Un")
    page = connector.fetch_inbound(account, "comments", "")
    page = connector.fetch_inbound(account, "comments", page.cursor)
    assert any("channel_post" in update for update in fake.updates)
    assert connector.find_published(account, Content(text="Grève jeudi devant la mairie")) is not None

    fake.age_updates(2 * 3600)  # an hour later the post is old: reading confirms everything read
    fake.comment(our_post, "Deux")
    page = connector.fetch_inbound(account, "comments", page.cursor)
    assert [item.text for item in page.items] == ["Deux"]
    connector.fetch_inbound(account, "comments", page.cursor)
    assert fake.updates == []


def test_find_published_does_not_confirm_a_comment_the_inbox_has_not_read(connector, fake, account, our_post):
    fake.age_updates(2 * 3600)
    fake.comment(our_post, "Pas encore lu")
    fake.age_updates(2 * 3600)
    assert connector.find_published(account, Content(text="Absent")) is None
    page = connector.fetch_inbound(account, "comments", "")
    assert [item.text for item in page.items] == ["Pas encore lu"]


def test_both_readers_keep_the_comments_coming(connector, fake, account, our_post):
    """Telegram remembers ``allowed_updates``: a reader asking for channel posts alone would stop
    the group's messages from being created at all."""
    connector.find_published(account, Content(text="Absent"))
    fake.comment(our_post, "Toujours là")
    assert [item.text for item in connector.fetch_inbound(account, "comments", "").items] == ["Toujours là"]


def test_a_malformed_update_is_skipped(connector, fake, account, our_post):
    fake.add_raw_update("garbage")
    fake.add_raw_update({"message": {"message_id": "x", "reply_to_message": {}}})
    fake.add_raw_update({"message": {"message_id": 5, "chat": {"id": 1}, "reply_to_message": "?"}})
    fake.comment(our_post, "Valide")
    page = connector.fetch_inbound(account, "comments", "")
    assert [item.text for item in page.items] == ["Valide"]


def test_rate_limited_reading_says_when_to_come_back(connector, fake, account):
    fake.rate_limit_next(retry_after=17, path_contains="getUpdates")
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "comments", "")
    assert caught.value.retry_after == 17


def test_server_error_is_transient(connector, fake, account):
    fake.fail_next(502, path_contains="getUpdates", json={"ok": False, "error_code": 502, "description": "Bad Gateway"})
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_revoked_token_is_an_auth_error(connector, fake, account):
    fake.revoke_token()
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "comments", "")


def test_malformed_json_is_transient(connector, fake, account):
    fake.fail_next(200, body=b'{"ok": true, "result": [', path_contains="getUpdates")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_reply_answers_the_comment_in_the_group_once(connector, fake, account, group, our_post):
    fake.comment(our_post, "On sera là ?")
    [item] = connector.fetch_inbound(account, "comments", "").items

    sent = connector.reply(account, item.reply_to, Content(text="Oui, à 10 h !", marker="m-1"))

    answers = [m for m in fake.channels[group].messages.values() if m.get("from", {}).get("is_bot")]
    assert len(answers) == 1
    assert answers[0]["text"] == "Oui, à 10 h !"
    assert answers[0]["reply_to_message"]["message_id"] == int(item.reply_to.split(":")[1])
    assert sent.remote_id == f"{group}:{answers[0]['message_id']}"
    # The bot is not sent its own message: it never comes back into the inbox.
    assert connector.fetch_inbound(account, "comments", "").items == (item,)


def test_an_answer_to_our_answer_comes_back_in_its_thread(connector, fake, account, group, our_post):
    fake.comment(our_post, "On sera là ?")
    first = connector.fetch_inbound(account, "comments", "")
    [item] = first.items
    sent = connector.reply(account, item.reply_to, Content(text="Oui, à 10 h !"))
    ours = int(sent.remote_id.split(":")[1])
    fake.comment(0, "Merci !", to_message=ours, first_name="Léa")
    fake.comment(0, "Moi je viens aussi", to_message=int(item.remote_id.split(":")[1]), first_name="Marc")

    [back] = connector.fetch_inbound(account, "comments", first.cursor).items

    assert (back.text, back.parent, back.parent_is_ours) == ("Merci !", sent.remote_id, True)
    assert back.kind == "comment"


def test_a_lost_answer_is_not_sent_again_but_reported(connector, fake, account, group, our_post):
    fake.comment(our_post, "On sera là ?")
    [item] = connector.fetch_inbound(account, "comments", "").items
    fake.drop_next(path_contains="sendMessage")
    with pytest.raises(PermanentError) as caught:
        connector.reply(account, item.reply_to, Content(text="Oui !", marker="m-2"))
    assert "discussion" in caught.value.message
    assert len([m for m in fake.channels[group].messages.values() if m.get("from", {}).get("is_bot")]) == 1


def test_an_unknown_stream_is_refused(connector, account):
    with pytest.raises(PermanentError):
        connector.fetch_inbound(account, "mentions", "")
