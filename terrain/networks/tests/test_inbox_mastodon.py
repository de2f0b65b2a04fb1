"""The inbox side of the Mastodon connector, against mastodon-mock: mentions, search, answers."""

from __future__ import annotations

import httpx
import pytest

from terrain.networks.base import (
    AccountData,
    AuthError,
    ConnectorError,
    Content,
    PermanentError,
    PermissionMissing,
    TransientError,
)
from terrain.networks.fakes.server import Response
from terrain.networks.mastodon.connector import MastodonConnector
from terrain.networks.tests.helpers import ForwardingProxy


@pytest.fixture
def connector() -> MastodonConnector:
    return MastodonConnector()


@pytest.fixture
def alice(mastodon_server) -> AccountData:
    me = mastodon_server.client("alice").account_verify_credentials()
    return AccountData(
        api_base=mastodon_server.base_url, secrets={"access_token": "alice_token"}, remote_id=str(me["id"])
    )


def fault(server, **rule) -> None:
    httpx.post(f"{server.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()


def test_mentions_replies_and_direct_messages_in_order_then_resumed(connector, mastodon_server, alice):
    ours = connector.publish(alice, Content(text="Assemblée générale jeudi à 12 h", marker="ag"))
    bob, carol = mastodon_server.client("bob"), mastodon_server.client("carol")
    reply = bob.status_post("@alice C'est dans quelle salle ?", in_reply_to_id=ours.remote_id)
    carol.status_post("Merci @alice pour l'info !")
    bob.status_post("@alice je peux vous parler en privé ?", visibility="direct")

    page = connector.fetch_inbound(alice, "notifications", "")
    assert [item.kind for item in page.items] == ["reply", "mention", "message"]
    first = page.items[0]
    assert first.parent == ours.remote_id and first.parent_is_ours and first.reply_to == str(reply["id"])
    assert "quelle salle" in first.text and "<p>" not in first.text
    assert first.author_handle == "@bob" and first.created_at.tzinfo is not None
    assert not page.more and page.cursor

    assert connector.fetch_inbound(alice, "notifications", page.cursor).items == ()  # nothing new
    carol.status_post("@alice et pour les temps partiels ?")
    later = connector.fetch_inbound(alice, "notifications", page.cursor)
    assert [item.text for item in later.items] == ["@alice et pour les temps partiels ?"]


def test_other_notifications_are_not_items(connector, mastodon_server, alice):
    ours = connector.publish(alice, Content(text="Grève le 12", marker="g"))
    mastodon_server.client("bob").status_favourite(ours.remote_id)
    assert connector.fetch_inbound(alice, "notifications", "").items == ()


def test_an_answer_mentions_the_author_keeps_the_visibility_and_goes_once(connector, mastodon_server, alice):
    bob = mastodon_server.client("bob")
    question = bob.status_post("@alice une question en privé", visibility="direct")
    content = Content(text="Bonjour, écrivez-nous à contact@section.fr", marker="rep1")
    sent = connector.reply(alice, str(question["id"]), content)
    again = connector.reply(alice, str(question["id"]), content)  # retried: the Idempotency-Key holds
    assert again.remote_id == sent.remote_id
    status = mastodon_server.client("alice").status(sent.remote_id)
    assert status["in_reply_to_id"] == question["id"] and status["visibility"] == "direct"
    assert "@bob" in status["content"]


def test_search_by_hashtag_and_words(connector, mastodon_server, alice):
    bob = mastodon_server.client("bob")
    bob.status_post("Tout le monde dehors ! #grève #hopital")
    bob.status_post("Rien à voir")
    page = connector.search_public(alice, "#hopital", "")
    assert [item.kind for item in page.items] == ["watch"]
    assert "dehors" in page.items[0].text
    assert connector.search_public(alice, "#hopital", page.cursor).items == ()


def test_search_by_words(connector, mastodon_server, alice):
    bob = mastodon_server.client("bob")
    bob.status_post("Rassemblement devant le CHU Nord à midi")
    bob.status_post("Rien à voir")
    page = connector.search_public(alice, "CHU Nord", "")
    assert [item.kind for item in page.items] == ["watch"]
    assert "CHU Nord" in page.items[0].text and page.cursor


def test_a_429_on_reading_says_when_to_come_back(connector, mastodon_server, alice):
    fault(
        mastodon_server,
        match={"path": "/api/v1/notifications"},
        effect={"type": "ratelimit", "headers": {"Retry-After": "300"}},
        count=1,
    )
    with pytest.raises(TransientError) as caught:
        connector.fetch_inbound(alice, "notifications", "")
    assert caught.value.status == 429 and caught.value.retry_after == 300


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_on_reading_are_transient(connector, mastodon_server, alice, status):
    fault(mastodon_server, match={"path": "/api/v1/notifications"}, effect={"type": "status", "status": status})
    with pytest.raises(TransientError):
        connector.fetch_inbound(alice, "notifications", "")


def test_an_expired_token_is_an_auth_error(connector, mastodon_server):
    stranger = AccountData(api_base=mastodon_server.base_url, secrets={"access_token": "expired"})
    with pytest.raises(AuthError):
        connector.fetch_inbound(stranger, "notifications", "")


def test_an_unknown_stream_is_refused(connector, alice):
    with pytest.raises(PermanentError):
        connector.fetch_inbound(alice, "timeline", "")


@pytest.mark.parametrize(
    "body",
    [
        b"<html>not json</html>",
        b'{"error": "a server that answers an object"}',
        b'[{"type": "mention", "id": "9", "status": {"content": "no id"}}, 42, null]',
    ],
)
def test_another_server_answering_oddly_never_crashes(connector, mastodon_server, alice, body):
    """Not every fediverse server is Mastodon: an odd answer is transient or skipped, never a crash."""

    class Odd(ForwardingProxy):
        def dispatch(self, request):
            if request.path == "/api/v1/notifications":
                return Response(status=200, body=body, headers={"Content-Type": "application/json"})
            return super().dispatch(request)

    proxy = Odd(mastodon_server.base_url)
    proxy.start()
    try:
        odd = AccountData(api_base=proxy.base_url, secrets={"access_token": "alice_token"}, remote_id=alice.remote_id)
        try:
            page = connector.fetch_inbound(odd, "notifications", "c")
        except ConnectorError:  # classified: the inbox waits and retries (services.read_account_stream)
            return
        assert page.items == () and page.cursor
    finally:
        proxy.stop()


def test_a_token_without_the_notifications_scope_is_a_missing_permission(connector, mastodon_server, alice):
    scope = {"error": "This action is outside the authorized scopes"}
    fault(
        mastodon_server,
        match={"path": "/api/v1/notifications"},
        effect={"type": "status", "status": 403, "body": scope},
    )
    with pytest.raises(PermissionMissing, match="outside the authorized scopes"):
        connector.fetch_inbound(alice, "notifications", "")


def test_a_disabled_login_is_an_auth_error_not_a_permission(connector, mastodon_server, alice):
    disabled = {"error": "Your login is currently disabled"}
    fault(
        mastodon_server,
        match={"path": "/api/v1/notifications"},
        effect={"type": "status", "status": 403, "body": disabled},
    )
    with pytest.raises(AuthError) as caught:
        connector.fetch_inbound(alice, "notifications", "")
    assert not isinstance(caught.value, PermissionMissing)
