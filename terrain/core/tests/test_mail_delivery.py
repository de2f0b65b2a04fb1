"""The real delivery paths: SMTP to a local server, and the database task queue
drained by the worker command that `make run` starts."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


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
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Invitation à rejoindre « Santé au travail »",
        body="Bonjour,\nVoici votre lien.",
        from_email="Terrain <ne-pas-repondre@terrain.example>",
        to=["nadia@example.org"],
    )
    message.attach_alternative("<p>Bonjour,</p><p>Voici votre lien.</p>", "text/html")
    return message


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_queued_mail_through_smtp(settings, smtp_server):
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    _message().send()
    # Queued in the database, not sent by the request.
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert inbox.messages == []

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "nadia@example.org"
    assert "Santé au travail" in str(email.header.make_header(email.header.decode_header(received["Subject"])))
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}
