"""The Facebook Page connector's inbox (comments, Messenger) against the local Graph API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from terrain.networks.base import AuthError, Content, RejectedContent, TransientError
from terrain.networks.fakes.facebook import throttled
from terrain.networks.tests.fixtures.facebook import account_fixture, connector_fixture, fake_fixture, post_fixture  # noqa: F401 (fixtures)


def test_streams_and_limits(connector):
    assert connector.inbox_streams == ("comments", "messages")
    assert connector.can_search is False
    assert connector.read_limit.calls > 0


def test_comments_come_oldest_first_with_their_parents(fake, connector, account, post):
    start = datetime.now(UTC) - timedelta(minutes=10)
    first = fake.add_comment(post, "On y sera !", at=start)
    ours = fake.add_comment(first, "Merci, à jeudi", author_id=fake.page_id, at=start + timedelta(minutes=1))
    answer = fake.add_comment(first, "Et la salle ?", author="Chloé", at=start + timedelta(minutes=2))

    page = connector.fetch_inbound(account, "comments", "")

    assert [item.remote_id for item in page.items] == [first, answer]  # the Page's own comment left out
    top, reply = page.items
    assert top.kind == reply.kind == "comment"
    assert (top.parent, top.parent_is_ours, top.reply_to) == (post, True, first)
    assert top.text == "On y sera !" and top.author_name == "Bob Durand"
    # A reply under a comment: its parent is the comment, and an answer goes under the top comment.
    assert (reply.parent, reply.reply_to) == (first, first)
    assert ours not in [item.remote_id for item in page.items]


def test_resuming_from_the_cursor_gives_nothing_twice_and_loses_nothing(fake, connector, account, post):
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    one = fake.add_comment(post, "Un", at=at)
    first = connector.fetch_inbound(account, "comments", "")
    assert [i.remote_id for i in first.items] == [one]

    # Written in the same second as the last one read, and later.
    same_second = fake.add_comment(post, "Deux", at=at)
    later = fake.add_comment(post, "Trois", at=at + timedelta(seconds=30))
    second = connector.fetch_inbound(account, "comments", first.cursor)
    assert [i.remote_id for i in second.items] == [same_second, later]

    third = connector.fetch_inbound(account, "comments", second.cursor)
    assert third.items == ()
    # Only the last second is asked for again.
    assert fake.calls("GET", f"{post}/comments")[-1].arg("since") == str(int((at + timedelta(seconds=30)).timestamp()))


def test_the_cursor_stays_bounded_to_the_recent_posts(fake, connector, account, post):
    cursor = json.dumps({"999_1": [1.0, ["x"]], post: [1.0, []]})
    page = connector.fetch_inbound(account, "comments", cursor)
    assert set(json.loads(page.cursor)) == {post}


def test_a_malformed_comment_is_skipped(fake, connector, account, post):
    good = fake.add_comment(post, "Lisible")
    bad = fake.add_comment(post, "Sans date")
    original = fake.render_comment
    fake.render_comment = lambda c: {"id": c["id"], "created_time": "hier"} if c["id"] == bad else original(c)

    page = connector.fetch_inbound(account, "comments", "")
    assert [i.remote_id for i in page.items] == [good]


def test_rate_limit_is_transient_with_the_wait(fake, connector, account, post):
    fake.fail_next(400, path_contains="/comments", **throttled(32, minutes=7))
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "comments", "")
    assert caught.value.retry_after == 420


@pytest.mark.parametrize("code", [4, 17, 613])
def test_other_throttling_codes_are_transient(fake, connector, account, post, code):
    fake.fail_next(400, path_contains="/feed", **throttled(code))
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_server_error_is_transient(fake, connector, account, post):
    fake.fail_next(500, path_contains="/comments", json={"error": {"message": "An unknown error", "code": 2}})
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_malformed_json_is_transient(fake, connector, account, post):
    fake.fail_next(200, path_contains="/comments", body=b'{"data": [{"id": ')
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_expired_token_is_an_auth_error(fake, connector, account, post):
    fake.expire(fake.page_token())
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "comments", "")


def test_reply_to_a_comment_goes_once(fake, connector, account, post):
    comment = fake.add_comment(post, "Quelle heure ?")
    sent = connector.reply(account, comment, Content(text="À 18 h, salle B", marker="r1"))
    assert fake.page_answers(comment)[0]["id"] == sent.remote_id

    # The answer was lost on the way back: the retry finds the answer instead of sending it again.
    again = connector.reply(account, comment, Content(text="À 18 h, salle B", marker="r1"))
    assert again.remote_id == sent.remote_id
    assert len(fake.page_answers(comment)) == 1
    assert len(fake.calls("POST", f"{comment}/comments")) == 1


def test_reply_after_a_dropped_answer_is_not_sent_twice(fake, connector, account, post):
    comment = fake.add_comment(post, "Quelle heure ?")
    fake.drop_next(path_contains=f"{comment}/comments")
    with pytest.raises(TransientError):  # the answer was lost: uncertain
        connector.reply(account, comment, Content(text="À 18 h", marker="r2"))
    connector.reply(account, comment, Content(text="À 18 h", marker="r2"))
    assert len(fake.page_answers(comment)) == 1


def test_messages_are_read_and_resumed(fake, connector, account):
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    first = fake.add_message("Bonjour, je veux adhérer", at=at)
    page = connector.fetch_inbound(account, "messages", "")
    assert [i.remote_id for i in page.items] == [first]
    item = page.items[0]
    assert item.kind == "message" and item.author_name == "Chloé Petit"
    assert item.parent == fake.conversations[item.reply_to.removeprefix("messenger:")]["id"]

    later = fake.add_message("Vous êtes là ?", at=at + timedelta(minutes=1))
    again = connector.fetch_inbound(account, "messages", page.cursor)
    assert [i.remote_id for i in again.items] == [later]
    assert connector.fetch_inbound(account, "messages", again.cursor).items == ()


def test_answer_a_message_once(fake, connector, account):
    fake.add_message("Bonjour")
    item = connector.fetch_inbound(account, "messages", "").items[0]
    sent = connector.reply(account, item.reply_to, Content(text="Bonjour, bienvenue", marker="m1"))
    again = connector.reply(account, item.reply_to, Content(text="Bonjour, bienvenue", marker="m1"))
    assert again.remote_id == sent.remote_id
    request = fake.calls("POST", "/messages")[0]
    assert request.form()["messaging_type"] == "RESPONSE"
    assert len(fake.calls("POST", "/messages")) == 1
    # The Page's own message is not read back into the inbox.
    assert [i.text for i in connector.fetch_inbound(account, "messages", "").items] == ["Bonjour"]


def test_answer_outside_the_window_is_refused_without_breaking_the_account(fake, connector, account):
    fake.add_message("Bonjour", at=datetime.now(UTC) - timedelta(days=2))
    item = connector.fetch_inbound(account, "messages", "").items[0]
    with pytest.raises(RejectedContent):
        connector.reply(account, item.reply_to, Content(text="Pardon du retard"))
