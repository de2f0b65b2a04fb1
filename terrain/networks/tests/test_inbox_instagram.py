"""The Instagram connector's inbox (comments on recent media) against the local Graph API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terrain.networks.base import AuthError, Content, TransientError
from terrain.networks.fakes.facebook import throttled
from terrain.networks.instagram import inbox
from terrain.networks.tests.fixtures.instagram import account_fixture, connector_fixture, fake_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def media(fake):
    return fake.add_media()


def test_streams_and_limits(connector):
    assert connector.inbox_streams == ("comments",)
    assert connector.can_search is False
    assert connector.read_limit.seconds == 3600


def test_comments_and_replies_oldest_first(fake, connector, account, media):
    start = datetime.now(UTC) - timedelta(minutes=10)
    top = fake.add_comment(media, "Bravo", at=start)
    ours = fake.add_comment(top, "Merci !", username="sectionterrain", at=start + timedelta(minutes=1))
    theirs = fake.add_comment(top, "De rien", username="chloe", at=start + timedelta(minutes=2))

    page = connector.fetch_inbound(account, "comments", "")

    assert [i.remote_id for i in page.items] == [top, theirs]
    first, second = page.items
    assert (first.kind, first.parent, first.reply_to, first.parent_is_ours) == ("comment", media, top, True)
    assert first.author_handle == "@bob.durand"
    assert (second.parent, second.reply_to, second.parent_is_ours) == (top, top, False)
    assert ours not in {i.remote_id for i in page.items}


def test_resume_reads_only_what_is_new(fake, connector, account, media):
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    one = fake.add_comment(media, "Un", at=at)
    first = connector.fetch_inbound(account, "comments", "")
    same_second = fake.add_comment(media, "Deux", at=at)
    reply = fake.add_comment(one, "Réponse", username="chloe", at=at + timedelta(seconds=5))

    second = connector.fetch_inbound(account, "comments", first.cursor)

    assert [i.remote_id for i in first.items] == [one]
    assert [i.remote_id for i in second.items] == [same_second, reply]
    assert connector.fetch_inbound(account, "comments", second.cursor).items == ()


def test_pages_of_comments_are_followed(fake, connector, account, media, monkeypatch):
    monkeypatch.setattr(inbox, "COMMENTS_PAGE", 2)
    start = datetime.now(UTC) - timedelta(hours=1)
    ids = [fake.add_comment(media, f"n°{n}", at=start + timedelta(minutes=n)) for n in range(5)]
    page = connector.fetch_inbound(account, "comments", "")
    assert [i.remote_id for i in page.items] == ids


def test_a_malformed_comment_is_skipped(fake, connector, account, media):
    good = fake.add_comment(media, "Lisible")
    bad = fake.add_comment(media, "Illisible")
    original = fake.render_comment
    fake.render_comment = lambda c, r, **kw: (
        {"id": c["id"], "timestamp": 12} if c["id"] == bad else original(c, r, **kw)
    )
    assert [i.remote_id for i in connector.fetch_inbound(account, "comments", "").items] == [good]


def test_rate_limit_is_transient_with_the_wait(fake, connector, account, media):
    fake.fail_next(400, path_contains="/comments", **throttled(4, minutes=2))
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "comments", "")
    assert caught.value.retry_after == 120


def test_server_error_and_malformed_json_are_transient(fake, connector, account, media):
    fake.fail_next(503, path_contains="/media")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")
    fake.fail_next(200, path_contains="/comments", body=b"<html>oops")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_expired_token_is_an_auth_error(fake, connector, account, media):
    fake.expire(fake.page_token())
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "comments", "")


def test_reply_is_sent_once(fake, connector, account, media):
    top = fake.add_comment(media, "Quand ?")
    fake.drop_next(path_contains=f"{top}/replies")
    with pytest.raises(TransientError):
        connector.reply(account, top, Content(text="Jeudi à 18 h", marker="r1"))
    sent = connector.reply(account, top, Content(text="Jeudi à 18 h", marker="r1"))
    assert [c["id"] for c in fake.answers_of(top)] == [sent.remote_id]
    assert len(fake.calls("POST", f"{top}/replies")) == 1
