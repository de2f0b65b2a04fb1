"""The e-mail (IMAP) connector against a local IMAP4rev1 server."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from terrain.networks.base import AccountData, AuthError, Content, PermanentError, RejectedContent, TransientError
from terrain.networks.email_inbox.connector import ImapConnector
from terrain.networks.fakes.imap import ImapFake
from terrain.networks.registry import get_connector


def message(n: int, *, subject: str = "Question", body: str = "Bonjour", extra: str = "", sender: str = "") -> str:
    return (
        f"From: {sender or 'Bob Durand <bob@example.org>'}\r\n"
        "To: section@terrain.example\r\n"
        f"Subject: {subject}\r\n"
        f"Date: Mon, 0{n % 9 + 1} Nov 2026 10:00:00 +0100\r\n"
        f"Message-ID: <m{n}@example.org>\r\n"
        f"{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    )


@pytest.fixture
def fake(settings):
    server = ImapFake().start()
    settings.NETWORK_TIMEOUT_SECONDS = 1
    settings.INBOX_IMAP_PLAIN_LOOPBACK = True
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    cache.clear()
    yield server
    server.stop()


@pytest.fixture
def connector():
    return ImapConnector()


@pytest.fixture
def account(fake):
    secrets = {
        "host": "127.0.0.1",
        "port": fake.port,
        "security": "ssl",
        "username": fake.user,
        "password": fake.password,
        "address": fake.user,
    }
    return AccountData(api_base="", secrets=secrets, handle=fake.user, remote_id=fake.user)


def test_registered_as_an_inbox_only_channel(connector):
    assert get_connector("imap").label == "E-mail"
    assert connector.inbox_streams == ("mail",) and connector.auth_flow == "imap"
    with pytest.raises(RejectedContent):
        connector.publish(AccountData(api_base="", secrets={}), Content(text="x"))


def test_validate_credentials(fake, connector, account):
    info = connector.validate_credentials(account)
    assert info.handle == fake.user


def test_reads_messages_in_order_with_subject_sender_and_parent(fake, connector, account):
    fake.deliver(message(1, subject="Adhésion", body="Comment adhérer ?"))
    fake.deliver(message(2, extra="In-Reply-To: <terrain.abc@terrain.example>\r\n", body="Merci"))

    page = connector.fetch_inbound(account, "mail", "")

    first, second = page.items
    assert (first.remote_id, first.kind, first.author_handle, first.author_name) == (
        "m1@example.org",
        "message",
        "bob@example.org",
        "Bob Durand",
    )
    assert first.text == "Adhésion\n\nComment adhérer ?"
    assert first.reply_to == "m1@example.org" and first.parent == ""
    assert (second.parent, second.parent_is_ours) == ("terrain.abc@terrain.example", True)
    assert page.cursor == f"{fake.uidvalidity}:2"
    # Read-only: nothing is marked as read, and only BODY.PEEK is asked.
    assert any(c.startswith("EXAMINE") for c in fake.commands)
    assert all("BODY[]" not in c.replace("BODY.PEEK[]", "") for c in fake.commands)


def test_resume_reads_nothing_twice_even_past_the_last_uid(fake, connector, account):
    fake.deliver(message(1))
    first = connector.fetch_inbound(account, "mail", "")
    # "2:*" answers the last message (UID 1) again: it must not come back.
    assert connector.fetch_inbound(account, "mail", first.cursor).items == ()
    fake.deliver(message(2))
    second = connector.fetch_inbound(account, "mail", first.cursor)
    assert [i.remote_id for i in second.items] == ["m2@example.org"]


def test_a_new_uidvalidity_reads_again_with_the_same_ids(fake, connector, account):
    fake.deliver(message(1))
    fake.deliver(message(2))
    cursor = connector.fetch_inbound(account, "mail", "").cursor
    fake.renumber()
    page = connector.fetch_inbound(account, "mail", cursor)
    assert [i.remote_id for i in page.items] == ["m1@example.org", "m2@example.org"]
    assert page.cursor.startswith(f"{fake.uidvalidity}:")


def test_html_mail_becomes_text_and_a_malformed_one_is_skipped(fake, connector, account):
    html = message(1, body="<p>Bonjour&nbsp;!</p><script>alert(1)</script><p>Ligne 2</p>").replace(
        "text/plain", "text/html"
    )
    fake.deliver(html)
    fake.deliver("Ceci n'est pas un e-mail\r\n")
    fake.deliver(message(3))
    page = connector.fetch_inbound(account, "mail", "")
    assert [i.remote_id for i in page.items] == ["m1@example.org", "m3@example.org"]
    assert page.items[0].text == "Question\n\nBonjour !\nLigne 2"
    assert page.cursor.endswith(":3")  # past the malformed one


def test_wrong_password_is_an_auth_error(fake, connector, account):
    account.secrets["password"] = "faux"
    with pytest.raises(AuthError):
        connector.fetch_inbound(account, "mail", "")


def test_dropped_connection_is_transient_and_keeps_the_position(fake, connector, account):
    fake.deliver(message(1))
    fake.drop_next("UID")
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "mail", "")
    assert [i.remote_id for i in connector.fetch_inbound(account, "mail", "").items] == ["m1@example.org"]


def test_unreachable_server_is_transient(fake, connector, account):
    port = fake.port
    fake.stop()
    account.secrets["port"] = port
    with pytest.raises(TransientError):
        connector.fetch_inbound(account, "mail", "")


def test_plain_imap_is_refused_off_loopback_or_without_the_setting(fake, connector, account, settings):
    settings.INBOX_IMAP_PLAIN_LOOPBACK = False
    with pytest.raises(TransientError):  # TLS asked of a server that does not speak it
        connector.fetch_inbound(account, "mail", "")


def test_a_private_address_is_refused(fake, connector, account, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(PermanentError):
        connector.fetch_inbound(account, "mail", "")


def test_reply_threads_and_is_sent_once(fake, connector, account):
    fake.deliver(message(1, subject="Adhésion", extra="References: <m0@example.org>\r\n"))
    sent = connector.reply(account, "m1@example.org", Content(text="Bienvenue !", marker="abc123"))
    again = connector.reply(account, "m1@example.org", Content(text="Bienvenue !", marker="abc123"))

    assert len(mail.outbox) == 1
    out = mail.outbox[0]
    assert out.to == ["bob@example.org"] and out.subject == "Re: Adhésion"
    assert out.extra_headers["In-Reply-To"] == "<m1@example.org>"
    assert out.extra_headers["References"] == "<m0@example.org> <m1@example.org>"
    assert out.extra_headers["Message-ID"] == "<terrain.abc123@terrain.example>"
    assert out.message()["Message-ID"] == "<terrain.abc123@terrain.example>"
    assert sent.remote_id == again.remote_id == "terrain.abc123@terrain.example"


def test_reply_to_a_message_gone_from_the_mailbox(fake, connector, account):
    with pytest.raises(PermanentError):
        connector.reply(account, "absent@example.org", Content(text="?", marker="x"))
    assert mail.outbox == []
