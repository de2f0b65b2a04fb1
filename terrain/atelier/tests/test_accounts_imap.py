"""Connecting a structure's e-mail address (IMAP) from the accounts screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.networks.email_inbox import connector as imap_connector
from terrain.networks.fakes.imap import ImapFake
from terrain.networks.tests.helpers import TestAuthority


@pytest.fixture
def imap(settings):
    server = ImapFake().start()
    settings.INBOX_IMAP_PLAIN_LOOPBACK = True
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NETWORK_TIMEOUT_SECONDS = 1
    yield server
    server.stop()


def connect_url(world) -> str:
    return reverse("atelier:account_connect", args=[world.section.code, "imap"])


def form(imap, **changes) -> dict:
    return {
        "address": imap.user,
        "host": "127.0.0.1",
        "port": imap.port,
        "security": "ssl",
        "username": "",
        "password": imap.password,
        **changes,
    }


@pytest.mark.django_db
def test_the_form_asks_for_the_server_and_the_password(world, alice_client, imap):
    page = alice_client.get(connect_url(world)).content.decode()
    for name in ("address", "host", "port", "security", "username", "password"):
        assert f'name="{name}"' in page
    assert 'for="id_host"' in page  # labelled


@pytest.mark.django_db
def test_a_wrong_password_is_said_and_what_was_typed_is_kept(world, alice_client, imap):
    response = alice_client.post(connect_url(world), form(imap, password="pas-le-bon"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "pas-le-bon" not in page  # a password is never rendered back
    assert f'value="{imap.user}"' in page and 'value="127.0.0.1"' in page
    assert not ConnectedAccount.objects.exists()


@pytest.mark.django_db
def test_connecting_checks_the_mailbox_and_stores_the_secrets(world, alice_client, imap):
    response = alice_client.post(connect_url(world), form(imap))
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert (account.network, account.handle) == ("imap", imap.user)
    assert account.secrets["username"] == imap.user  # empty: the address itself
    assert account.secrets["password"] == imap.password
    assert any(command == "LOGIN" for command in imap.commands)


@pytest.mark.django_db
def test_a_server_name_with_a_path_is_refused(world, alice_client, imap):
    response = alice_client.post(connect_url(world), form(imap, host="imap.example.org/inbox"))
    assert response.status_code == 200
    assert not ConnectedAccount.objects.exists()


@pytest.mark.django_db
def test_a_member_cannot_connect_a_mailbox(world, bob_client, charlie_client, imap):
    assert bob_client.post(connect_url(world), form(imap)).status_code == 403
    assert charlie_client.post(connect_url(world), form(imap)).status_code == 404
    assert not ConnectedAccount.objects.exists()


def test_an_email_inbox_is_not_offered_to_publish_to(world):
    from terrain.atelier.message_selectors import usable_accounts
    from terrain.atelier.models import ConnectedAccount

    mastodon = ConnectedAccount.objects.create(structure=world.section, network="mastodon", handle="@section")
    ConnectedAccount.objects.create(structure=world.section, network="imap", handle="contact@section.example")
    assert usable_accounts(structure=world.section) == [mastodon]


@pytest.fixture
def starttls_server(settings):
    """A mailbox that speaks STARTTLS only, with a certificate from an authority made for the test."""
    authority = TestAuthority()
    server = ImapFake(tls=authority.server_context("127.0.0.1"), starttls=True).start()
    settings.INBOX_IMAP_PLAIN_LOOPBACK = False  # TLS for real, even on loopback
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NETWORK_TIMEOUT_SECONDS = 2
    yield server, authority
    server.stop()


@pytest.mark.django_db
def test_connecting_over_starttls_logs_in_once_encrypted(world, alice_client, starttls_server, monkeypatch):
    server, authority = starttls_server
    monkeypatch.setattr(imap_connector, "tls_context", authority.client_context)
    response = alice_client.post(connect_url(world), form(server, security="starttls"))
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.secrets["security"] == "starttls"
    assert server.in_clear == ["CAPABILITY", "STARTTLS"] and "LOGIN" in server.commands


@pytest.mark.django_db
def test_a_certificate_it_cannot_trust_is_said_and_nothing_is_stored(world, alice_client, starttls_server):
    server, _authority = starttls_server  # the system's trust only: the test authority is unknown to it
    response = alice_client.post(connect_url(world), form(server, security="starttls"))
    assert response.status_code == 200
    assert "certificat" in response.content.decode().lower()  # "certificate", in either language
    assert "LOGIN" not in server.commands
    assert not ConnectedAccount.objects.exists()
