"""E-mail goes out through the task worker, never inside a web request.

``QueuedEmailBackend`` is Django's EMAIL_BACKEND: it turns each message into
plain data and enqueues ``deliver_email`` once the surrounding transaction
commits (a rolled-back invitation sends nothing). The worker then hands the
message to ``EMAIL_DELIVERY_BACKEND`` (console or SMTP).

A task's arguments are stored with its result (the database backend keeps
them in a table the admin can read): a password reset or an invitation link
there would open an account or a private cooperative. So the message travels
*sealed*: encrypted with the key the connected accounts' secrets use
(derived from ``SECRET_KEY`` and its fallbacks), and only the worker opens it.
"""

from __future__ import annotations

import functools
import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django_tasks import task


def message_to_data(message) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


@functools.cache
def _cipher(secret_keys: tuple[str, ...], salt: str) -> Fernet | MultiFernet:
    # The derivation of encrypted_fields (PBKDF2, 100,000 rounds): computed once per key set.
    from encrypted_fields.fields import EncryptedFieldMixin

    return EncryptedFieldMixin().f


def cipher() -> Fernet | MultiFernet:
    """The project's Fernet, as for connected accounts' secrets (it follows a rotated SECRET_KEY)."""
    salt = settings.SALT_KEY
    return _cipher(
        (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])),
        tuple(salt) if isinstance(salt, list) else salt,
    )


def seal(data: dict) -> str:
    """A message's data as an encrypted text, safe to store as a task argument."""
    return cipher().encrypt(json.dumps(data).encode()).decode()


def unseal(sealed: str) -> dict:
    """The data of a sealed message; raises ``cryptography.fernet.InvalidToken`` for a wrong key."""
    return json.loads(cipher().decrypt(sealed.encode()))


def data_to_message(data: dict, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@task()
def deliver_email(sealed: str | dict) -> None:
    """Send one queued message (sealed by ``QueuedEmailBackend``) through the real delivery backend."""
    # A plain dict is a message queued before messages were sealed.
    data = sealed if isinstance(sealed, dict) else unseal(sealed)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    data_to_message(data, connection=connection).send()


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            sealed = seal(message_to_data(message))
            transaction.on_commit(lambda sealed=sealed: deliver_email.enqueue(sealed))
            count += 1
        return count
