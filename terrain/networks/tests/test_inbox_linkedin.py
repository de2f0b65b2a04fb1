"""The LinkedIn connector's inbox (comments on the page's recent posts) against the local API."""

from __future__ import annotations

import time

import pytest

from terrain.networks.base import AuthError, Content, PermissionMissing, TransientError
from terrain.networks.tests.fixtures.linkedin import account_fixture, connector_fixture, fake_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def post(fake):
    return fake.add_post()


def now_ms() -> int:
    return int(time.time() * 1000)


def test_streams_and_limits(connector):
    assert connector.inbox_streams == ("comments",)
    assert connector.can_search is False


def test_comments_and_answers_oldest_first(fake, connector, account, post):
    start = now_ms() - 600_000
    top = fake.add_comment(post, "Bravo pour l'accord", at_ms=start)
    org = f"urn:li:organization:{fake.org_id}"
    ours = fake.add_comment(top, "Merci !", actor=org, at_ms=start + 60_000)
    answer = fake.add_comment(top, "Et la suite ?", actor="urn:li:person:ch10e", at_ms=start + 120_000)

    page = connector.fetch_inbound(account, "comments", "")

    assert [i.remote_id for i in page.items] == [top, answer]
    first, second = page.items
    assert (first.kind, first.parent, first.reply_to, first.parent_is_ours) == ("comment", post, top, True)
    assert first.text == "Bravo pour l'accord" and first.author_handle == "urn:li:person:b0bDur4nd"
    # An answer under someone else's comment: not an answer to us.
    assert (second.parent, second.reply_to, second.parent_is_ours) == (top, top, False)
    assert ours not in {i.remote_id for i in page.items}


def test_resume_reads_only_what_is_new(fake, connector, account, post):
    at = now_ms() - 60_000
    one = fake.add_comment(post, "Un", at_ms=at)
    first = connector.fetch_inbound(account, "comments", "")
    same_ms = fake.add_comment(post, "Deux", at_ms=at)
    answer = fake.add_comment(one, "Trois", at_ms=at + 1000)
    second = connector.fetch_inbound(account, "comments", first.cursor)

    assert [i.remote_id for i in first.items] == [one]
    assert [i.remote_id for i in second.items] == [same_ms, answer]
    assert connector.fetch_inbound(account, "comments", second.cursor).items == ()


def test_a_malformed_comment_is_skipped(fake, connector, account, post):
    good = fake.add_comment(post, "Lisible")
    bad = fake.add_comment(post, "Sans date")
    original = fake.render_comment
    fake.render_comment = lambda c: {**original(c), "created": {"time": "hier"}} if c["urn"] == bad else original(c)
    assert [i.remote_id for i in connector.fetch_inbound(account, "comments", "").items] == [good]


def test_rate_limit_is_transient_with_the_wait(fake, connector, account, post):
    fake.fail_next(
        429,
        path_contains="/comments",
        headers={"Retry-After": "90"},
        json={"status": 429, "message": "Too Many Requests"},
    )
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(account, "comments", "")
    assert caught.value.retry_after == 90


def test_server_error_is_transient(fake, connector, account, post):
    fake.fail_next(502, path_contains="/rest/posts")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_malformed_json_is_transient_not_an_empty_page(fake, connector, account, post):
    fake.add_comment(post, "Perdu ?")
    fake.fail_next(200, path_contains="/comments", body=b'{"elements": [')
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "comments", "")


def test_expired_token_is_an_auth_error(fake, connector, account, post):
    del account.secrets["refresh_token"]  # nothing to renew it with
    fake.expire(account.secrets["access_token"])
    with pytest.raises(AuthError) as caught:
        connector.fetch_inbound(account, "comments", "")
    assert not isinstance(caught.value, PermissionMissing)


def test_a_403_is_a_missing_permission(fake, connector, account, post):
    # ACCESS_DENIED: r_organization_social declined, or the person no longer administers the page.
    body = {"status": 403, "serviceErrorCode": 100, "message": "Not enough permissions to access: comments"}
    fake.fail_next(403, json=body, path_contains="/comments")
    with pytest.raises(PermissionMissing, match="Not enough permissions"):
        connector.fetch_inbound(account, "comments", "")


def test_reply_is_sent_once(fake, connector, account, post):
    top = fake.add_comment(post, "Quand ?")
    fake.drop_next(path_contains="/comments")  # the look for an earlier answer is lost: nothing sent
    with pytest.raises(TransientError):
        connector.reply(account, top, Content(text="Jeudi à 18 h", marker="r1"))
    assert fake.answers_of(top) == []

    first = connector.reply(account, top, Content(text="Jeudi à 18 h", marker="r1"))
    # A retry (the engine was not sure the first one went out) finds it instead of sending again.
    again = connector.reply(account, top, Content(text="Jeudi  à 18 h", marker="r1"))
    assert again.remote_id == first.remote_id
    assert [c["urn"] for c in fake.answers_of(top)] == [first.remote_id]
    assert len(fake.calls("POST", "/comments")) == 1
    request = fake.calls("POST", "/comments")[0].json()
    assert request["parentComment"] == top and request["object"] == post
    assert request["actor"] == f"urn:li:organization:{fake.org_id}"


def test_an_answer_to_an_answer_goes_under_the_top_comment(fake, connector, account, post):
    top = fake.add_comment(post, "Quand ?")
    nested = fake.add_comment(top, "Oui, quand ?", actor="urn:li:person:ch10e")
    item = next(i for i in connector.fetch_inbound(account, "comments", "").items if i.remote_id == nested)
    sent = connector.reply(account, item.reply_to, Content(text="Jeudi"))
    assert fake.comments[sent.remote_id]["parent"] == top
