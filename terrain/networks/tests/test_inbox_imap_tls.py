"""The e-mail (IMAP) connector over real TLS: implicit TLS, STARTTLS, and what it refuses.

The local server presents a certificate signed by an authority made at test time (``trustme``).
The connector trusts it only where a test replaces :func:`connector.tls_context` by one that adds
this authority to Python's defaults; elsewhere it keeps the system's trust, and refuses.
"""

from __future__ import annotations

import imaplib

import pytest
from django.core.cache import cache
from django.utils import translation

from terrain.networks.base import AccountData, ConnectorError, PermanentError
from terrain.networks.email_inbox import connector as imap_connector
from terrain.networks.email_inbox.connector import ImapConnector
from terrain.networks.fakes.imap import ImapFake
from terrain.networks.tests.helpers import TestAuthority
from terrain.networks.tests.test_inbox_imap import message


@pytest.fixture(autouse=True)
def _no_plain_imap(settings):
    """TLS for real, even on loopback: plain IMAP is not allowed here. The refusals are read in the
    language they are written in (a test before may have left French active)."""
    settings.INBOX_IMAP_PLAIN_LOOPBACK = False
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.NETWORK_TIMEOUT_SECONDS = 2
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def authority() -> TestAuthority:
    return TestAuthority()


@pytest.fixture
def trusted(authority, monkeypatch) -> TestAuthority:
    """The connector trusts the test authority (besides the system's)."""
    monkeypatch.setattr(imap_connector, "tls_context", authority.client_context)
    return authority


@pytest.fixture
def servers():
    started: list[ImapFake] = []

    def start(**options) -> ImapFake:
        started.append(ImapFake(**options).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()


def account_of(fake: ImapFake, security: str, host: str = "127.0.0.1") -> AccountData:
    secrets = {
        "host": host,
        "port": fake.port,
        "security": security,
        "username": fake.user,
        "password": fake.password,
        "address": fake.user,
    }
    return AccountData(api_base="", secrets=secrets, handle=fake.user, remote_id=fake.user)


def test_reads_over_implicit_tls(trusted, servers):
    fake = servers(tls=trusted.server_context("127.0.0.1"))
    fake.deliver(message(1, subject="Adhésion", body="Comment adhérer ?"))

    page = ImapConnector().fetch_inbound(account_of(fake, "ssl"), "mail", "")

    assert [(i.remote_id, i.text) for i in page.items] == [("m1@example.org", "Adhésion\n\nComment adhérer ?")]
    assert "LOGIN" in fake.commands and fake.in_clear == []  # not one command in clear


def test_reads_over_starttls_and_logs_in_only_once_encrypted(trusted, servers):
    fake = servers(tls=trusted.server_context("localhost"), starttls=True)
    fake.deliver(message(1, subject="Interview", body="Pouvez-vous nous répondre ?"))

    connector = ImapConnector()
    info = connector.validate_credentials(account_of(fake, "starttls", host="localhost"))
    page = connector.fetch_inbound(account_of(fake, "starttls", host="localhost"), "mail", "")

    assert info.handle == fake.user
    assert [i.remote_id for i in page.items] == ["m1@example.org"]
    # Each connection asked what the server offers, then STARTTLS; nothing more in clear.
    assert fake.in_clear == ["CAPABILITY", "STARTTLS"] * 2
    assert fake.commands.count("LOGIN") == 2


def test_the_starttls_server_refuses_a_login_in_clear(authority, servers):
    fake = servers(tls=authority.server_context(), starttls=True)
    client = imaplib.IMAP4("127.0.0.1", fake.port, timeout=2)
    try:
        assert {"STARTTLS", "LOGINDISABLED"} <= set(client.capabilities)
        with pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"):
            client.login(fake.user, fake.password)
        client.starttls(ssl_context=authority.client_context())
        assert "LOGINDISABLED" not in client.capabilities and "STARTTLS" not in client.capabilities
        assert client.login(fake.user, fake.password)[0] == "OK"
    finally:
        client.logout()


@pytest.mark.parametrize("security", ["ssl", "starttls"])
@pytest.mark.parametrize(
    "certificate",
    [
        pytest.param(lambda authority: TestAuthority().server_context("127.0.0.1"), id="unknown-authority"),
        pytest.param(lambda authority: authority.server_context("mail.example.org"), id="another-name"),
    ],
)
def test_a_certificate_it_cannot_trust_is_refused_before_the_password(trusted, servers, security, certificate):
    fake = servers(tls=certificate(trusted), starttls=security == "starttls")
    fake.deliver(message(1))

    with pytest.raises(PermanentError, match="certificate could not be verified"):
        ImapConnector().fetch_inbound(account_of(fake, security), "mail", "")
    assert "LOGIN" not in fake.commands


def test_without_the_test_authority_the_system_trust_refuses_the_local_certificate(authority, servers):
    fake = servers(tls=authority.server_context())
    with pytest.raises(PermanentError, match="certificate"):
        ImapConnector().validate_credentials(account_of(fake, "ssl"))
    assert "LOGIN" not in fake.commands


@pytest.mark.parametrize("offered", [False, True], ids=["not-offered", "offered-then-refused"])
def test_a_server_without_starttls_gets_no_password_in_clear(trusted, servers, offered):
    if offered:
        fake = servers(tls=trusted.server_context(), starttls=True)
        fake.refuse_starttls()
    else:
        fake = servers()  # plain IMAP only
    fake.deliver(message(1))

    with pytest.raises(PermanentError, match="does not offer STARTTLS"):
        ImapConnector().fetch_inbound(account_of(fake, "starttls"), "mail", "")
    assert "LOGIN" not in fake.commands
    assert fake.in_clear == (["CAPABILITY", "STARTTLS"] if offered else ["CAPABILITY"])


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_plain_imap_is_allowed_on_loopback_only(servers, settings, monkeypatch, security):
    settings.INBOX_IMAP_PLAIN_LOOPBACK = True
    fake = servers()  # plain IMAP only
    fake.deliver(message(1))
    account = account_of(fake, security)
    assert [i.remote_id for i in ImapConnector().fetch_inbound(account, "mail", "").items] == ["m1@example.org"]

    # The same server, as if its name had resolved to a public address: TLS is required again.
    # (The connection itself still goes to the local server: no traffic leaves the machine.)
    monkeypatch.setattr(imap_connector, "_check_host", lambda host, port: False)
    fake.commands.clear()
    with pytest.raises(ConnectorError):
        ImapConnector().fetch_inbound(account, "mail", "")
    assert "LOGIN" not in fake.commands
