"""The newsletter end to end against a real local SMTP server (aiosmtpd):
subscribe → confirm → publish → received with working one-click unsubscribe headers."""

from __future__ import annotations

import email
import re
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from terrain.networks.base import AccountData, Content, Media
from terrain.networks.registry import get_connector
from terrain.newsletter.models import NewsletterIssue, Subscriber
from terrain.tests.factories import make_image_file


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


def _text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_publish_unsubscribe(world, newsletter_account, smtp):
    visitor = Client()
    visitor.post(reverse("newsletter:subscribe", args=[world.section.code]), {"email": "nadia@example.org"})
    assert len(smtp.messages) == 1
    link = re.search(r"http://testserver(/lettre/confirmer/\S+/)", _text(smtp.messages[0])).group(1)
    visitor.post(link)
    assert Subscriber.objects.get().status == "confirmed"
    Subscriber.objects.create(structure=world.section, email="pending@example.org")  # never confirmed

    connector = get_connector("newsletter")
    account = AccountData(api_base="", secrets={}, remote_id=world.section.code)
    picture = make_image_file().read()
    content = Content(
        text="Trente minutes de pause pour tous.\n\nhttps://exemple.org/tract",
        title="Pause déjeuner : c'est gagné",
        marker="issue1marker",
        media=(Media(data=picture, mime_type="image/jpeg", alt="Affiche de la victoire"),),
    )
    posted = connector.publish(account, content)
    assert connector.fetch_followers(account) == 1
    assert len(smtp.messages) == 2
    issue = smtp.messages[1]
    assert issue["To"] == "nadia@example.org"
    assert str(make_header(decode_header(issue["Subject"]))) == "Pause déjeuner : c'est gagné"
    assert "Section Hôpital Nord" in str(make_header(decode_header(issue["From"])))
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Trente minutes de pause" in _text(issue)
    assert "image/jpeg" in {part.get_content_type() for part in issue.walk()}
    header = "".join(issue["List-Unsubscribe"].split())  # long headers are folded
    unsubscribe = re.fullmatch(r"<http://testserver(/lettre/desabonnement/\S+/)>", header).group(1)
    assert unsubscribe in _text(issue)

    # Published once: a retry with the same marker sends nothing, and finds it.
    assert connector.publish(account, content) == posted
    assert connector.find_published(account, content) == posted
    assert len(smtp.messages) == 2
    assert NewsletterIssue.objects.get().recipients == 1

    # The mail client's one-click unsubscription: one POST, no cookie, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email="nadia@example.org").status == "unsubscribed"
    connector.publish(account, Content(text="Suite", title="Suite", marker="issue2marker"))
    assert len(smtp.messages) == 2


def test_a_crash_midway_resumes_without_sending_twice(world, newsletter_account, settings, monkeypatch):
    from django.core import mail

    for i in range(5):
        Subscriber.objects.create(structure=world.section, email=f"p{i}@example.org", status="confirmed")
    connector = get_connector("newsletter")
    account = AccountData(api_base="", secrets={}, remote_id=world.section.code)
    content = Content(text="Texte", title="Titre", marker="crashmarker")
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("connection lost")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    from terrain.networks.base import TransientError

    with pytest.raises(TransientError):
        connector.publish(account, content)
    assert connector.find_published(account, content) is None
    connector.publish(account, content)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@example.org" for i in range(5)]
    assert connector.find_published(account, content) is not None
    assert connector.fetch_metrics(account, NewsletterIssue.objects.get().code).extra == {"recipients": 5}
