"""E-mail goes out through the task worker, never inside a web request.

``QueuedEmailBackend`` is Django's EMAIL_BACKEND: it turns each message into
plain data and enqueues ``deliver_email`` once the surrounding transaction
commits (a rolled-back invitation sends nothing). The worker then hands the
message to ``EMAIL_DELIVERY_BACKEND`` (console or SMTP).
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


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


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from terrain.core.tasks import deliver_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            data = message_to_data(message)
            transaction.on_commit(lambda data=data: deliver_email.enqueue(data))
            count += 1
        return count
