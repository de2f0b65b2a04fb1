"""The Mastodon connector against mastodon-mock, driven through Mastodon.py."""

from __future__ import annotations

import json
import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from terrain.networks.base import (
    AccountData,
    AuthError,
    Content,
    RejectedContent,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.fakes.server import Request, Response
from terrain.networks.mastodon.connector import MastodonConnector
from terrain.networks.registry import get_connector
from terrain.networks.tests.helpers import ForwardingProxy


@pytest.fixture
def connector() -> MastodonConnector:
    return MastodonConnector()


@pytest.fixture
def alice(mastodon_server) -> AccountData:
    return AccountData(api_base=mastodon_server.base_url, secrets={"access_token": "alice_token"})


def fault(server, **rule) -> None:
    """Register a fault on mastodon-mock's control plane (``POST /api/v1/_mock/faults``)."""
    httpx.post(f"{server.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()


def own_statuses(server, username: str = "alice") -> list[dict]:
    client = server.client(username)
    return client.account_statuses(client.account_verify_credentials()["id"])


def test_registered_in_the_registry():
    assert isinstance(get_connector("mastodon"), MastodonConnector)


def test_counting_links_as_23_and_remote_mentions_as_local():
    connector = MastodonConnector()
    assert connector.count_characters("Salut") == 5
    assert connector.count_characters("Lire https://example.org/" + "a" * 80) == 5 + 23
    assert connector.count_characters("@camille@piaille.fr") == len("@camille")


def test_oauth_flow_registers_the_app_and_trades_the_code(connector, mastodon_server):
    base = mastodon_server.base_url
    redirect = "https://terrain.example/atelier/comptes/retour"
    client = connector.register_client(api_base=base, redirect_uri=redirect)
    assert client["client_id"] and client["client_secret"]

    url = connector.authorization_url(api_base=base, redirect_uri=redirect, state="s3cret", client=client)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{base}/oauth/authorize"
    assert query["client_id"] == [client["client_id"]]
    assert query["state"] == ["s3cret"]
    assert query["redirect_uri"] == [redirect]
    assert query["lang"] == ["fr"]

    # The member picks their account on the instance, which redirects back with a code.
    answer = httpx.post(
        f"{base}/oauth/authorize",
        data={"username": "bob", "redirect_uri": redirect, "client_id": client["client_id"], "state": "s3cret"},
    )
    assert answer.status_code == 302
    back = parse_qs(urlsplit(answer.headers["location"]).query)
    assert back["state"] == ["s3cret"]

    secrets = connector.exchange_code(api_base=base, code=back["code"][0], redirect_uri=redirect, client=client)
    info = connector.validate_credentials(AccountData(api_base=base, secrets=secrets))
    assert info.handle == "@bob"
    assert info.followers == 1  # alice follows bob in the seed


def test_a_refused_code_is_an_auth_error(connector, mastodon_server):
    base = mastodon_server.base_url
    redirect = "https://terrain.example/retour"
    client = connector.register_client(api_base=base, redirect_uri=redirect)
    with pytest.raises(AuthError):
        connector.exchange_code(api_base=base, code="forged", redirect_uri=redirect, client=client)


def test_publish_text_and_link(connector, mastodon_server, alice):
    content = Content(text="Assemblée générale jeudi", link="https://example.org/ag", marker="m1")
    post = connector.publish(alice, content)
    statuses = own_statuses(mastodon_server)
    assert [str(s["id"]) for s in statuses] == [post.remote_id]
    assert "Assemblée générale jeudi" in statuses[0]["content"]
    assert "https://example.org/ag" in statuses[0]["content"]
    assert post.url


def test_publishing_keeps_answers_as_sent_and_other_calls_stay_typed(connector, mastodon_server, alice, image):
    """Publishing skips Mastodon.py's typed objects (a third of a worker's CPU per post):
    nothing is cast, and the ids and URL still come through. Reading statuses back (the
    duplicate check compares their dates) still gets typed objects with real datetimes."""
    from unittest import mock

    import mastodon.internals

    real = mastodon.internals.try_cast_recurse
    with mock.patch.object(mastodon.internals, "try_cast_recurse", side_effect=real) as cast:
        post = connector.publish(alice, Content(text="Rassemblement à 18 h", media=(image,), marker="plain"))
        assert cast.call_count == 0
        assert post.remote_id and post.url.endswith(f"/{post.remote_id}")
        assert connector.find_published(alice, Content(text="Rassemblement à 18 h")) == post
        assert cast.call_count > 0
    client = connector._account_client(alice)
    status = client.call(lambda: client.api.status(post.remote_id))
    assert isinstance(status.created_at, datetime)


def test_publish_with_image_and_alt_text(connector, mastodon_server, alice, image):
    post = connector.publish(alice, Content(text="Rassemblement réussi", media=(image,), marker="m2"))
    status = mastodon_server.client("alice").status(post.remote_id)
    assert len(status["media_attachments"]) == 1
    assert status["media_attachments"][0]["description"] == image.alt


def test_lost_answer_is_uncertain_then_found_without_duplicate(connector, mastodon_server, mastodon_proxy):
    """The status is created but the answer is lost: find it; a retry with the same marker adds nothing."""
    alice = AccountData(api_base=mastodon_proxy.base_url, secrets={"access_token": "alice_token"})
    content = Content(text="Grève le 12 : tous et toutes dans la rue", marker="uncertain1")
    mastodon_proxy.drop_next(path_contains="/api/v1/statuses")
    with pytest.raises(UncertainOutcome):
        connector.publish(alice, content)

    found = connector.find_published(alice, content)
    assert found is not None
    again = connector.publish(alice, content)  # Idempotency-Key: Mastodon returns the same status
    assert again.remote_id == found.remote_id
    assert len(own_statuses(mastodon_server)) == 1


def test_timeout_while_posting_is_uncertain(connector, mastodon_server, alice, short_timeout, settings):
    fault(
        mastodon_server,
        match={"methods": ["POST"], "path": "/api/v1/statuses"},
        effect={"type": "latency", "delay_ms": 1200},
        count=1,
    )
    content = Content(text="Grève le 12", marker="uncertain2")
    with pytest.raises(UncertainOutcome):
        connector.publish(alice, content)
    time.sleep(1)  # mastodon-mock gives up on the request once the client has left
    settings.NETWORK_TIMEOUT_SECONDS = 10  # the rest must not time out on a busy machine
    assert connector.find_published(alice, content) is None
    connector.publish(alice, content)
    assert len(own_statuses(mastodon_server)) == 1


def test_find_published_ignores_other_texts(connector, mastodon_server, alice):
    connector.publish(alice, Content(text="Un autre message", marker="a"))
    assert connector.find_published(alice, Content(text="Celui-ci n'est jamais parti", marker="b")) is None


def test_timeout_on_a_read_is_transient(connector, mastodon_server, alice, short_timeout):
    fault(mastodon_server, match={"path_regex": "/api/v1/statuses/"}, effect={"type": "latency", "delay_ms": 1500})
    post = mastodon_server.client("alice").status_post("Bonjour")
    with pytest.raises(TransientError) as caught:
        connector.fetch_metrics(alice, str(post["id"]))
    assert not isinstance(caught.value, UncertainOutcome)


def test_rate_limited_with_retry_after(connector, mastodon_server, alice):
    fault(
        mastodon_server,
        match={"methods": ["POST"], "path": "/api/v1/statuses"},
        effect={"type": "ratelimit", "headers": {"Retry-After": "120"}},
        count=1,
    )
    with pytest.raises(TransientError) as caught:
        connector.publish(alice, Content(text="Trop vite", marker="r"))
    assert caught.value.status == 429
    assert caught.value.retry_after == 120
    assert own_statuses(mastodon_server) == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(connector, mastodon_server, alice, status):
    fault(mastodon_server, match={"path": "/api/v1/statuses"}, effect={"type": "status", "status": status}, count=1)
    with pytest.raises(TransientError) as caught:
        connector.publish(alice, Content(text="Bonjour", marker="s"))
    assert caught.value.status == status
    assert not isinstance(caught.value, UncertainOutcome)


def test_unknown_token_is_an_auth_error(connector, mastodon_server):
    account = AccountData(api_base=mastodon_server.base_url, secrets={"access_token": "expired-or-forged"})
    with pytest.raises(AuthError):
        connector.validate_credentials(account)


def test_revoked_token_is_an_auth_error(connector, mastodon_server):
    base = mastodon_server.base_url
    token = httpx.post(f"{base}/api/v1/_mock/login", json={"username": "bob"}).json()["access_token"]
    account = AccountData(api_base=base, secrets={"access_token": token})
    assert connector.validate_credentials(account).handle == "@bob"
    httpx.post(f"{base}/oauth/revoke", data={"token": token}).raise_for_status()
    with pytest.raises(AuthError):
        connector.publish(account, Content(text="Après révocation", marker="x"))


def test_refused_content_too_long(connector, mastodon_server, alice):
    with pytest.raises(RejectedContent) as caught:
        connector.publish(alice, Content(text="a" * 600, marker="long"))
    assert "too long" in caught.value.message


def test_forbidden_is_an_auth_error(connector, mastodon_server, alice):
    fault(mastodon_server, match={"path": "/api/v1/statuses"}, effect={"type": "status", "status": 403}, count=1)
    with pytest.raises(AuthError):
        connector.publish(alice, Content(text="Bonjour", marker="f"))


def test_delete(connector, mastodon_server, alice):
    post = connector.publish(alice, Content(text="À supprimer", marker="d"))
    connector.delete(alice, post.remote_id)
    assert own_statuses(mastodon_server) == []
    connector.delete(alice, post.remote_id)  # already gone: nothing to do


def test_metrics_and_followers(connector, mastodon_server, alice):
    post = connector.publish(alice, Content(text="Venez nombreuses et nombreux", marker="k"))
    bob = mastodon_server.client("bob")
    bob.status_favourite(post.remote_id)
    bob.status_reblog(post.remote_id)
    bob.status_post("Bien dit", in_reply_to_id=post.remote_id)
    metrics = connector.fetch_metrics(alice, post.remote_id)
    assert (metrics.likes, metrics.reposts, metrics.replies) == (1, 1, 1)
    assert connector.fetch_followers(alice) == 0
    assert connector.fetch_followers(AccountData(api_base=alice.api_base, secrets={"access_token": "bob_token"})) == 1


def test_unreachable_instance_is_transient_even_when_posting(connector, alice):
    account = AccountData(api_base="http://127.0.0.1:9", secrets={"access_token": "alice_token"})
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Personne n'écoute", marker="z"))
    assert not isinstance(caught.value, UncertainOutcome)


class ProcessingProxy(ForwardingProxy):
    """Answers uploads as a busy instance does: 202 and no ``url`` until processed."""

    def dispatch(self, request: Request) -> Response:
        response = super().dispatch(request)
        if request.method == "POST" and request.path == "/api/v2/media":
            body = json.loads(response.body)
            response = Response(status=202, json={**body, "url": None})
        return response


def test_waits_for_an_image_still_processing(connector, mastodon_server, image):
    with ProcessingProxy(mastodon_server.base_url) as proxy:
        account = AccountData(api_base=proxy.base_url, secrets={"access_token": "alice_token"})
        post = connector.publish(account, Content(text="Photo lourde", media=(image,), marker="p"))
        assert len(proxy.calls("GET", "/api/v1/media/")) == 1
    status = mastodon_server.client("alice").status(post.remote_id)
    assert status["media_attachments"][0]["description"] == image.alt


def test_attaching_an_unprocessed_image_is_transient(connector, mastodon_server, alice):
    message = "Cannot attach files that have not finished processing. Try again in a moment!"
    fault(
        mastodon_server,
        match={"path": "/api/v1/statuses"},
        effect={"type": "status", "status": 422, "body": {"error": message}},
        count=1,
    )
    with pytest.raises(TransientError) as caught:
        connector.publish(alice, Content(text="Bonjour", marker="t"))
    assert not isinstance(caught.value, RejectedContent)


class CookieProxy(ForwardingProxy):
    """An instance that sets a session cookie on every answer, to see whether it comes back."""

    def dispatch(self, request: Request) -> Response:
        response = super().dispatch(request)
        response.headers["Set-Cookie"] = "_session_id=who-called-last; Path=/"
        return response


def test_one_kept_alive_session_per_thread_and_instance_never_carries_one_account_cookie_to_another(
    connector, mastodon_server
):
    import threading

    from terrain.networks.mastodon.connector import _session

    proxy = CookieProxy(mastodon_server.base_url)
    proxy.start()
    try:
        alice = AccountData(api_base=proxy.base_url, secrets={"access_token": "alice_token"})
        bob = AccountData(api_base=proxy.base_url, secrets={"access_token": "bob_token"})
        connector.publish(alice, Content(text="Assemblée générale jeudi", marker="cookie1"))
        connector.publish(bob, Content(text="Permanence syndicale lundi", marker="cookie2"))
        first, second = proxy.calls("POST", "/api/v1/statuses")
        assert first.header("authorization") == "Bearer alice_token"
        assert second.header("authorization") == "Bearer bob_token"
        assert second.header("cookie") == ""  # alice's session cookie is not sent with bob's post
        assert _session(proxy.base_url) is _session(proxy.base_url)
        elsewhere = []
        thread = threading.Thread(target=lambda: elsewhere.append(_session(proxy.base_url)))
        thread.start()
        thread.join()
        assert elsewhere[0] is not _session(proxy.base_url)  # each thread its own connections
    finally:
        proxy.stop()


# --- Servers that differ from Mastodon -------------------------------------------------
INSTANCE_FAULTS = {
    "404": {"type": "status", "status": 404},
    "500": {"type": "status", "status": 500},
    "timeout": {"type": "latency", "delay_ms": 1200},
}


def break_instance_endpoint(server, effect: dict) -> None:
    """An implementation whose instance description fails (another server, or a sick one)."""
    fault(server, match={"path_regex": "^/api/v[12]/instance"}, effect=effect)


@pytest.mark.parametrize("failure", sorted(INSTANCE_FAULTS))
def test_an_image_post_never_asks_for_the_instance_description(connector, mastodon_server, image, failure):
    # The usual timeout: the post goes through a proxy to mastodon-mock, two servers in one
    # process, and on a busy machine 0.5 s was once too short for the upload itself. A call to
    # the instance description would still be seen by the proxy, whatever the timeout.
    break_instance_endpoint(mastodon_server, INSTANCE_FAULTS[failure])
    with ForwardingProxy(mastodon_server.base_url) as proxy:
        account = AccountData(api_base=proxy.base_url, secrets={"access_token": "alice_token"})
        post = connector.publish(account, Content(text="Photo du piquet", media=(image,), marker="i"))
        assert proxy.calls("GET", "/api/v1/instance") == []
        assert proxy.calls("GET", "/api/v2/instance") == []
    status = mastodon_server.client("alice").status(post.remote_id)
    assert status["media_attachments"][0]["description"] == image.alt


@pytest.mark.parametrize("failure", sorted(INSTANCE_FAULTS))
def test_the_connection_flow_ends_without_the_instance_description(connector, mastodon_server, failure):
    # The usual timeout, not a short one: on a busy machine the token exchange itself once took
    # longer than 0.5 s. The proxy sees any call to the instance description, whatever the timeout.
    break_instance_endpoint(mastodon_server, INSTANCE_FAULTS[failure])
    redirect = "https://terrain.example/retour"
    with ForwardingProxy(mastodon_server.base_url) as proxy:
        base = proxy.base_url
        client = connector.register_client(api_base=base, redirect_uri=redirect)
        answer = httpx.post(
            f"{mastodon_server.base_url}/oauth/authorize",
            data={"username": "bob", "redirect_uri": redirect, "client_id": client["client_id"], "state": "s"},
        )
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        secrets = connector.exchange_code(api_base=base, code=code, redirect_uri=redirect, client=client)
        assert connector.validate_credentials(AccountData(api_base=base, secrets=secrets)).handle == "@bob"
        assert proxy.calls("GET", "/api/v1/instance") == []
        assert proxy.calls("GET", "/api/v2/instance") == []
        assert proxy.calls("GET", "/api/v1/accounts/verify_credentials"), "the calls went through the proxy"


@pytest.mark.parametrize("effect", [{"type": "status", "status": 503}, {"type": "latency", "delay_ms": 1200}])
def test_a_sick_token_endpoint_means_try_again_not_refused(connector, mastodon_server, short_timeout, effect):
    base = mastodon_server.base_url
    redirect = "https://terrain.example/retour"
    client = connector.register_client(api_base=base, redirect_uri=redirect)
    fault(mastodon_server, match={"path": "/oauth/token"}, effect=effect, count=1)
    with pytest.raises(TransientError) as caught:
        connector.exchange_code(api_base=base, code="whatever", redirect_uri=redirect, client=client)
    assert not isinstance(caught.value, AuthError)


def test_a_400_saying_the_token_is_invalid_is_an_auth_error(connector, mastodon_server, alice):
    body = {"error": "invalid_token", "error_description": "The access token is invalid"}
    fault(mastodon_server, match={"path": "/api/v1/statuses"}, effect={"type": "status", "status": 400, "body": body})
    with pytest.raises(AuthError):
        connector.publish(alice, Content(text="Bonjour", marker="b"))


def test_a_400_refusing_a_too_long_status_is_refused_content_with_its_message(connector, mastodon_server, alice):
    body = {"error": "Status is over the character limit (500)"}
    fault(mastodon_server, match={"path": "/api/v1/statuses"}, effect={"type": "status", "status": 400, "body": body})
    with pytest.raises(RejectedContent) as caught:
        connector.publish(alice, Content(text="Bonjour", marker="c"))
    assert "character limit" in caught.value.message


def test_any_surprise_from_the_library_is_classified(connector, mastodon_server, alice, monkeypatch):
    """A bug or a surprise inside Mastodon.py is an error of the connector's kinds, never a raw exception."""
    from mastodon import Mastodon

    def overflow(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(Mastodon, "account_verify_credentials", overflow)
    with pytest.raises(TransientError) as caught:
        connector.validate_credentials(alice)
    assert "recursion" not in caught.value.message
