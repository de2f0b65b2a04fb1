"""Connecting accounts safely: what a typed address may reach, what waits in the session,
what a changed key does to stored secrets, and what managers read when something fails."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.atelier.services.accounts import account_check, accounts_check_all
from terrain.atelier.tests.publishing_fake import make_account, pouet  # noqa: F401
from terrain.atelier.views.accounts import OAUTH_MAX_AGE, SESSION_KEY
from terrain.feed.models import Notification
from terrain.networks.tests.helpers import ForwardingProxy

Status = ConnectedAccount.Status


def accounts_url(world) -> str:
    return reverse("atelier:accounts", args=[world.section.code])


def connect_url(world, network: str = "pouet") -> str:
    return reverse("atelier:account_connect", args=[world.section.code, network])


@pytest.fixture(scope="module")
def mastodon_mock():
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def instance(mastodon_mock, settings):
    """mastodon-mock behind a proxy that records what reached it."""
    settings.ATELIER_ALLOW_HTTP_SERVERS = True
    with ForwardingProxy(mastodon_mock.base_url) as proxy:
        yield proxy


# --- What a typed address may reach ---------------------------------------------------
@pytest.mark.django_db
def test_a_private_address_is_refused_before_any_request(world, alice_client, instance, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []  # as in production: the loopback is not an exception
    response = alice_client.post(connect_url(world, "mastodon"), {"api_base": instance.base_url})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Terrain n’a pas pu s’inscrire auprès de ce serveur" in page
    assert instance.calls("POST", "") == [] and instance.calls("GET", "") == []


@pytest.mark.django_db
def test_an_allowed_fake_can_be_connected(world, alice_client, instance, settings):
    port = urlsplit(instance.base_url).port
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]  # this fake only
    response = alice_client.post(connect_url(world, "mastodon"), {"api_base": instance.base_url})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{instance.base_url}/oauth/authorize?")
    assert len(instance.calls("POST", "/api/v1/apps")) == 1


@pytest.mark.django_db
def test_every_failure_of_a_typed_server_reads_the_same(world, alice_client, instance, pouet, settings):
    """A closed port, a port that answers something else, a name that resolves to nothing:
    one sentence, so the page cannot be used to map what the server reaches."""
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    pages = []
    for address in ("http://127.0.0.1:9", pouet.base_url, "https://nowhere.invalid", "http://10.0.0.1:22"):
        response = alice_client.post(connect_url(world, "mastodon"), {"api_base": address})
        assert response.status_code == 200
        page = response.content.decode()
        errors = page[page.index('class="form-errors"') :].split("</div>")[0]
        pages.append(errors)
        for detail in ("Errno", "HTTPConnectionPool", "NameResolution", "refused", "404", "Connection"):
            assert detail not in errors
    assert len(set(pages)) == 1


# --- What waits in the session -------------------------------------------------------
def _raw_session(client) -> str:
    row = Session.objects.get(session_key=client.session.session_key)
    return json.dumps(row.get_decoded())


@pytest.mark.django_db
def test_the_apps_secret_waits_sealed_and_expires(world, alice_client, pouet, monkeypatch):
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    raw = _raw_session(alice_client)
    assert state in raw
    assert "secret-1" not in raw  # the client secret pouet gave is not readable in django_session

    # An hour later, even a row someone kept is no use: the seal has expired.
    import time

    later = time.time() + OAUTH_MAX_AGE + 60
    monkeypatch.setattr(time, "time", lambda: later)
    callback = reverse("atelier:account_oauth_callback", args=["pouet"])
    assert alice_client.get(callback, {"state": state, "code": "code-ok"}).status_code == 404
    assert not ConnectedAccount.objects.exists()
    assert alice_client.session.get(SESSION_KEY) == {}


@pytest.mark.django_db
def test_a_sealed_flow_still_connects(world, alice_client, pouet):
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    callback = reverse("atelier:account_oauth_callback", args=["pouet"])
    assert alice_client.get(callback, {"state": state, "code": "code-ok"}).status_code == 302
    assert ConnectedAccount.objects.get().secrets == {"access_token": "jeton-oauth"}


def test_sealing_refuses_another_purpose_and_old_seals():
    from terrain.lib.sealed import seal, unseal

    sealed = seal({"client_secret": "s"}, purpose="a")
    assert 's"' not in sealed
    assert unseal(sealed, purpose="a", max_age=60) == {"client_secret": "s"}
    assert unseal(sealed, purpose="b", max_age=60) is None
    assert unseal({"client_secret": "s"}, purpose="a", max_age=60) is None  # an old, unsealed session entry
    assert unseal(sealed, purpose="a", max_age=-1) is None


# --- A changed key -------------------------------------------------------------------
def unreadable(account: ConnectedAccount) -> None:
    """Store secrets encrypted with a key the site no longer has (SECRET_KEY changed)."""
    other = Fernet(Fernet.generate_key())
    value = json.dumps({"access_token": other.encrypt(b"jeton").decode()})
    table = connection.ops.quote_name(ConnectedAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET secrets = %s WHERE id = %s", [value, account.pk])  # noqa: S608


@pytest.mark.django_db
def test_check_now_after_the_key_changed_says_so_and_asks_to_reconnect(
    world, alice, alice_client, pouet, django_capture_on_commit_callbacks
):
    account = make_account(world.section, by=alice)
    unreadable(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("atelier:account_check", args=[account.code]), follow=True)
    assert response.status_code == 200
    assert "ne peut plus lire les secrets" in response.content.decode()
    account.refresh_from_db()
    assert account.status == Status.BROKEN
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=alice, reason="account_broken").exists()


@pytest.mark.django_db
def test_the_periodic_check_marks_unreadable_accounts_to_reconnect(world, alice, pouet):
    readable = make_account(world.section, handle="@ok", by=alice)
    broken = make_account(world.section, handle="@lost", by=alice)
    unreadable(broken)
    assert accounts_check_all() == 1
    broken.refresh_from_db()
    readable.refresh_from_db()
    assert (readable.status, broken.status) == (Status.ACTIVE, Status.BROKEN)
    assert "key" in broken.status_detail or "clé" in broken.status_detail
    assert account_check(account=broken) is False


# --- What managers read --------------------------------------------------------------
@pytest.mark.django_db
def test_a_network_that_does_not_answer_is_not_said_to_refuse(world, alice_client, pouet):
    pouet.fail_next(503, times=1, path_contains="/api/me")
    typed = {"handle": "syndicat", "app_password": "mot-de-passe-appli"}
    response = alice_client.post(connect_url(world, "pouetpass"), typed)
    page = response.content.decode()
    assert "n’a pas répondu. Réessayez dans quelques minutes" in page
    assert "a refusé" not in page
    assert "server error" not in page


@pytest.mark.django_db
def test_networks_without_an_app_are_not_offered_to_managers(world, alice_client, pouet, settings):
    settings.NETWORK_OAUTH_CLIENTS = {}
    settings.X_CLIENT_ID = ""
    page = alice_client.get(accounts_url(world)).content.decode()
    for kind in ("facebook", "x", "linkedin", "instagram"):
        assert connect_url(world, kind) not in page
    assert "Facebook n’est pas encore configuré sur ce site" in page
    assert "FACEBOOK_APP_ID" not in page  # settings are for the administrator
    assert connect_url(world, "mastodon") in page

    response = alice_client.get(connect_url(world, "x"), follow=True)
    assert "X n’est pas encore configuré sur ce site" in response.content.decode()


@pytest.mark.django_db
def test_the_administrator_is_told_what_to_set(world, alice, alice_client, pouet, settings):
    settings.NETWORK_OAUTH_CLIENTS = {}
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    page = alice_client.get(accounts_url(world)).content.decode()
    assert "FACEBOOK_APP_ID" in page and "X_CLIENT_ID" in page


@pytest.mark.django_db
def test_a_configured_network_is_offered(world, alice_client, pouet, settings):
    settings.NETWORK_OAUTH_CLIENTS = {"facebook": {"client_id": "1", "client_secret": "2"}}
    assert connect_url(world, "facebook") in alice_client.get(accounts_url(world)).content.decode()


@pytest.mark.django_db
def test_connecting_a_server_without_the_instance_description_keeps_the_token(
    world, alice_client, instance, mastodon_mock
):
    """Another implementation of the Mastodon API: /api/v1/instance answers 404. The flow ends
    with the account connected (it used to end in a RecursionError, the new token lost)."""
    import httpx

    httpx.post(f"{mastodon_mock.base_url}/api/v1/_mock/reset").raise_for_status()
    httpx.post(
        f"{mastodon_mock.base_url}/api/v1/_mock/faults",
        json={"match": {"path_regex": "^/api/v[12]/instance"}, "effect": {"type": "status", "status": 404}},
    ).raise_for_status()
    start = alice_client.post(connect_url(world, "mastodon"), {"api_base": instance.base_url})
    query = parse_qs(urlsplit(start["Location"]).query)
    consent = httpx.post(
        f"{mastodon_mock.base_url}/oauth/authorize",  # the proxy keeps no Location header
        data={
            "username": "bob",
            "redirect_uri": query["redirect_uri"][0],
            "client_id": query["client_id"][0],
            "state": query["state"][0],
        },
    )
    assert consent.status_code == 302, consent.text
    back = parse_qs(urlsplit(consent.headers["location"]).query)
    callback = reverse("atelier:account_oauth_callback", args=["mastodon"])
    response = alice_client.get(callback, {"state": back["state"][0], "code": back["code"][0]})
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.handle == "@bob" and account.secrets["access_token"]
    assert instance.calls("GET", "/api/v1/instance") == []
    httpx.post(f"{mastodon_mock.base_url}/api/v1/_mock/reset").raise_for_status()
