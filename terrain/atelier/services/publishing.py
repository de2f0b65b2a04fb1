"""Scheduling a message creates one Publication per target account.

The engine that runs publications (claim, call the network, retry, record) lives
in this module too; scheduling is here so that the composer and the calendar
share one way to put a message on the calendar.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount, Message, MessageEvent, Publication, Strategy

SCHEDULABLE = {Message.Status.APPROVED, Message.Status.SCHEDULED}


def approval_required(structure) -> bool:
    strategy = Strategy.objects.filter(structure=structure).first()
    return strategy is None or strategy.approval_required


@transaction.atomic
def message_schedule(*, message: Message, at: datetime, by) -> Message:
    """Put an approved message on the calendar at ``at`` (also used to reschedule).

    Publications already sent or being sent are never touched; the others move to
    the new time. Raises ValidationError with a message for the user.
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status not in SCHEDULABLE and not (
        message.status in {Message.Status.DRAFT, Message.Status.CHANGES_REQUESTED}
        and not approval_required(message.structure)
    ):
        raise ValidationError(_("Only an approved message can be scheduled."))
    accounts = list(message.accounts.exclude(status=ConnectedAccount.Status.DISCONNECTED))
    if not accounts:
        raise ValidationError(_("Choose at least one account to publish to."))
    if timezone.is_naive(at):
        raise ValidationError(_("The publication time needs a time zone."))
    existing = {p.account_id: p for p in message.publications.all()}
    for account in accounts:
        publication = existing.get(account.pk)
        if publication is None:
            Publication.objects.create(message=message, account=account, due_at=at, next_try_at=at)
        elif publication.state == Publication.State.PENDING:
            Publication.objects.filter(pk=publication.pk, state=Publication.State.PENDING).update(
                due_at=at, next_try_at=at
            )
        elif publication.state == Publication.State.CANCELLED:
            Publication.objects.filter(pk=publication.pk, state=Publication.State.CANCELLED).update(
                state=Publication.State.PENDING, due_at=at, next_try_at=at, last_error=""
            )
    # An account taken off the message before publication: its publication is cancelled.
    Publication.objects.filter(message=message, state=Publication.State.PENDING).exclude(account__in=accounts).update(
        state=Publication.State.CANCELLED
    )
    message.status = Message.Status.SCHEDULED
    message.scheduled_at = at
    message.save(update_fields=["status", "scheduled_at", "updated_at"])
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.SCHEDULED)
    return message


@transaction.atomic
def message_unschedule(*, message: Message, by) -> Message:
    """Take a scheduled message off the calendar; what is already out stays out."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Message.Status.SCHEDULED:
        raise ValidationError(_("This message is not scheduled."))
    Publication.objects.filter(message=message, state=Publication.State.PENDING).update(
        state=Publication.State.CANCELLED
    )
    message.status = Message.Status.APPROVED
    message.scheduled_at = None
    message.save(update_fields=["status", "scheduled_at", "updated_at"])
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.UNSCHEDULED)
    return message


def message_publish_now(*, message: Message, by) -> Message:
    return message_schedule(message=message, at=timezone.now(), by=by)
