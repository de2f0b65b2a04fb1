"""Mail leaves through the task worker, and only once the transaction that sent it commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

SUBJECT = "Réunion « égalité » jeudi"
TEXT = "Bonjour,\n\nRendez-vous jeudi à 18 h.\n"
HTML = "<p>Bonjour,</p><p>Rendez-vous <strong>jeudi</strong> à 18 h.</p>"


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def _send() -> None:
    message = EmailMultiAlternatives(
        subject=SUBJECT,
        body=TEXT,
        from_email="Terrain <ne-pas-repondre@terrain.example>",
        to=["nadia@example.org"],
        reply_to=["alice@example.org"],
        headers={"X-Terrain": "test"},
    )
    message.attach_alternative(HTML, "text/html")
    assert message.send() == 1


@pytest.mark.django_db(transaction=True)
def test_message_is_delivered_only_after_commit_and_intact(queued_mail):
    with transaction.atomic():
        _send()
        assert mail.outbox == []  # still inside the transaction: nothing has left
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert delivered.subject == SUBJECT
    assert delivered.body == TEXT
    assert delivered.to == ["nadia@example.org"]
    assert delivered.from_email == "Terrain <ne-pas-repondre@terrain.example>"
    assert delivered.reply_to == ["alice@example.org"]
    assert delivered.extra_headers["X-Terrain"] == "test"
    assert [tuple(alternative) for alternative in delivered.alternatives] == [(HTML, "text/html")]


@pytest.mark.django_db(transaction=True)
def test_message_of_a_rolled_back_transaction_is_never_delivered(queued_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the invitation failed")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_templated_email_from_the_accounts_service_arrives_whole(queued_mail):
    from terrain.accounts.services import invitation_create
    from terrain.tests.factories import make_user

    alice = make_user("Alice Martin", email="alice@example.org")
    with transaction.atomic():
        invitation_create(email="nadia@example.org", by=alice, message="Bienvenue !")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert "Alice Martin" in delivered.subject
    assert "\n" not in delivered.subject
    assert "Bienvenue !" in delivered.body
    html, mimetype = delivered.alternatives[0]
    assert mimetype == "text/html"
    assert "Bienvenue !" in html
    assert "/compte/invitation/" in html
