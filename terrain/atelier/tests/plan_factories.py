"""Small builders for the plan, calendar and recurrence tests (accounts with no secrets, approved messages)."""

from __future__ import annotations

from datetime import datetime

from terrain.atelier.models import ConnectedAccount, Message
from terrain.atelier.services.publishing import message_schedule


def make_account(structure, network: str = "mastodon", handle: str = "@section@example.org", **fields):
    return ConnectedAccount.objects.create(
        structure=structure, network=network, handle=handle, api_base="http://127.0.0.1:9/", **fields
    )


def make_message(
    structure, *, author=None, accounts=(), status=Message.Status.APPROVED, body="Réunion jeudi", **fields
):
    message = Message.objects.create(structure=structure, author=author, body=body, status=status, **fields)
    message.accounts.set(accounts)
    return message


def make_scheduled(structure, at: datetime, *, accounts, by=None, body="Réunion jeudi") -> Message:
    message = make_message(structure, accounts=accounts, author=by, body=body)
    return message_schedule(message=message, at=at, by=by)
