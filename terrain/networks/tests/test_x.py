"""The X connector against the local X API v2 fake."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from terrain.networks.base import (
    AccountData,
    AuthError,
    Content,
    PermanentError,
    RejectedContent,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.fakes.x import CLIENT_ID
from terrain.networks.registry import get_connector
from terrain.networks.tests.fixtures.x import account_fixture, connector_fixture, fake_fixture, server_fixture  # noqa: F401 (fixtures)
from terrain.networks.tests.helpers import wait_for
from terrain.networks.x.connector import XConnector, code_challenge

REDIRECT = "https://terrain.example/atelier/comptes/x/retour"


def test_registered_in_the_registry():
    assert isinstance(get_connector("x"), XConnector)


def test_weighted_counting():
    connector = XConnector()
    assert connector.count_characters("Grève générale") == 14
    assert connector.count_characters("Lire https://example.org/" + "a" * 60) == 5 + 23
    assert connector.count_characters("労働組合") == 8
    assert connector.count_characters("✊🏽") == 2  # an emoji with its skin tone
    assert connector.count_characters("👩\u200d👩\u200d👧 ok") == 2 + 3


def test_oauth_with_pkce(connector, fake):
    client = connector.register_client(api_base=fake.base_url, redirect_uri=REDIRECT)
    assert client["client_id"] == CLIENT_ID
    url = connector.authorization_url(api_base=fake.base_url, redirect_uri=REDIRECT, state="st4te", client=client)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge"] == [code_challenge(client["code_verifier"])]
    assert query["code_challenge_method"] == ["S256"]
    assert "offline.access" in query["scope"][0]

    consent = httpx.get(url)  # the member consents; X redirects back with the code
    assert consent.status_code == 302
    back = parse_qs(urlsplit(consent.headers["location"]).query)
    assert back["state"] == ["st4te"]

    secrets = connector.exchange_code(
        api_base=fake.base_url, code=back["code"][0], redirect_uri=REDIRECT, client=client
    )
    assert secrets["refresh_token"] and secrets["expires_at"] > time.time()
    info = connector.validate_credentials(AccountData(api_base=fake.base_url, secrets=secrets))
    assert (info.handle, info.followers, info.url) == ("@syndicat", 1234, "https://x.com/syndicat")


def test_the_real_consent_page_is_on_x_com(connector):
    client = {"client_id": "abc", "code_verifier": "v" * 50}
    url = connector.authorization_url(
        api_base=connector.default_api_base, redirect_uri=REDIRECT, state="s", client=client
    )
    assert url.startswith("https://x.com/i/oauth2/authorize?")


def test_wrong_verifier_is_refused(connector, fake):
    client = connector.register_client(api_base=fake.base_url, redirect_uri=REDIRECT)
    url = connector.authorization_url(api_base=fake.base_url, redirect_uri=REDIRECT, state="s", client=client)
    code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]
    with pytest.raises(AuthError):
        connector.exchange_code(
            api_base=fake.base_url, code=code, redirect_uri=REDIRECT, client={**client, "code_verifier": "x" * 64}
        )


def test_without_a_configured_app_connecting_is_refused(connector, settings):
    settings.X_CLIENT_ID = ""
    with pytest.raises(PermanentError):
        connector.register_client(api_base="https://api.x.com", redirect_uri=REDIRECT)


def test_publish_text_with_link(connector, fake, account):
    post = connector.publish(account, Content(text="Assemblée générale", link="https://example.org/ag"))
    [tweet] = fake.tweets()
    assert tweet["source_text"] == "Assemblée générale\n\nhttps://example.org/ag"
    assert post.remote_id == tweet["id"]
    assert post.url == f"https://x.com/syndicat/status/{tweet['id']}"


def test_publish_with_image_and_alt_text(connector, fake, account, image):
    connector.publish(account, Content(text="Rassemblement", media=(image,)))
    [tweet] = fake.tweets()
    [media_key] = tweet["attachments"]["media_keys"]
    media = fake.media[media_key.removeprefix("3_")]
    assert media["alt_text"] == image.alt
    assert media["data"] == image.data


def test_lost_answer_is_uncertain_then_found_without_duplicate(connector, fake, account):
    content = Content(text="Grève jeudi devant la mairie & la préfecture", link="https://example.org/greve")
    fake.drop_next(path_contains="/2/tweets")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)
    found = connector.find_published(account, content)  # X shows the link as t.co: still recognised
    assert found is not None
    assert found.remote_id == fake.tweets()[0]["id"]
    assert connector.find_published(account, Content(text="Un autre texte")) is None


def test_a_blind_retry_is_refused_as_duplicate(connector, fake, account):
    content = Content(text="Deux fois la même chose")
    connector.publish(account, content)
    with pytest.raises(RejectedContent) as caught:
        connector.publish(account, content)
    assert caught.value.status == 403
    assert len(fake.tweets()) == 1


def test_timeout_while_posting_is_uncertain(connector, fake, account, short_timeout):
    fake.slow_next(1.0, path_contains="/2/tweets")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent"))
    assert wait_for(lambda: len(fake.tweets()) == 1)  # it did go out: the outcome was uncertain


def test_timeout_while_reading_is_transient(connector, fake, account, short_timeout):
    fake.slow_next(1.0, path_contains="/2/users/me")
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert not isinstance(caught.value, UncertainOutcome)


def test_expired_token_is_refreshed_and_rotation_stored(connector, fake, account):
    old_access, old_refresh = account.secrets["access_token"], account.secrets["refresh_token"]
    fake.expire_token(old_access)  # X says 401; the connector did not know from expires_at
    connector.publish(account, Content(text="Après expiration"))
    assert len(fake.tweets()) == 1
    assert account.secrets_changed
    assert account.secrets["access_token"] != old_access
    assert account.secrets["refresh_token"] != old_refresh  # rotated: the old one is spent
    assert old_refresh not in fake.refresh


def test_token_known_to_be_expired_is_refreshed_before_the_call(connector, fake, account):
    account.secrets["expires_at"] = time.time() - 10
    assert connector.fetch_followers(account) == 1234
    assert account.secrets_changed
    assert [r.path for r in fake.requests] == ["/2/oauth2/token", "/2/users/me"]


def test_revoked_access_is_an_auth_error(connector, fake, account):
    fake.revoke()
    with pytest.raises(AuthError):
        connector.publish(account, Content(text="Après révocation"))
    assert fake.tweets() == []


def test_rate_limit_gives_the_reset_time(connector, fake, account):
    fake.rate_limit_next(reset_in=600, path_contains="/2/tweets")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop vite"))
    assert caught.value.status == 429
    assert 590 <= caught.value.retry_after <= 600


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_transient(connector, fake, account, status):
    fake.fail_next(status, path_contains="/2/tweets", json={"title": "Service Unavailable", "status": status})
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Bonjour"))
    assert caught.value.status == status
    assert not isinstance(caught.value, UncertainOutcome)


def test_too_long_is_refused(connector, fake, account):
    with pytest.raises(RejectedContent) as caught:
        connector.publish(account, Content(text="a" * 281))
    assert "too long" in caught.value.message


def test_delete(connector, fake, account):
    post = connector.publish(account, Content(text="À supprimer"))
    connector.delete(account, post.remote_id)
    assert fake.tweets() == []
    connector.delete(account, post.remote_id)


def test_metrics(connector, fake, account):
    post = connector.publish(account, Content(text="Venez"))
    fake.like(post.remote_id, 7)
    fake.retweet(post.remote_id, 3)
    fake.reply(post.remote_id, 2)
    metrics = connector.fetch_metrics(account, post.remote_id)
    assert (metrics.likes, metrics.reposts, metrics.replies) == (7, 3, 2)
    assert metrics.extra["quotes"] == 0
    connector.delete(account, post.remote_id)
    with pytest.raises(PermanentError):
        connector.fetch_metrics(account, post.remote_id)
