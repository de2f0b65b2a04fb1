"""Scheduling a message creates one Publication per target account; the engine runs them.

Scheduling is here so that the composer and the calendar share one way to put a
message on the calendar. A publication due now is enqueued when the schedule
commits; later ones are found by :func:`publications_dispatch_due`, which the
clock runs every few seconds (``terrain/atelier/periodic.py``). Running one
publication (claim, call the network, retry, record) is
:func:`terrain.atelier.services.engine.publication_run`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount, Message, MessageEvent, Publication, Strategy
from terrain.atelier.services.engine import due_filter, publication_run

__all__ = [
    "message_publish_now",
    "message_retry_failed",
    "message_schedule",
    "message_unschedule",
    "publication_run",
    "publications_dispatch_due",
    "publications_enqueue",
]

# A failed message may be scheduled again: its failed publications are retried, the published ones never.
SCHEDULABLE = {Message.Status.APPROVED, Message.Status.SCHEDULED, Message.Status.FAILED}
#: Messages whose failed publications may be tried again at once (published: partly, on the other accounts).
RETRIABLE = {Message.Status.PUBLISHED, Message.Status.FAILED}


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
                due_at=at, next_try_at=at, claimed_until=None
            )
        elif publication.state in (Publication.State.CANCELLED, Publication.State.FAILED):
            _send_again(publication, at=at)
        # Published, publishing or being checked: never touched, so never sent again.
    # An account taken off the message before publication: its publication is cancelled.
    Publication.objects.filter(message=message, state=Publication.State.PENDING).exclude(account__in=accounts).update(
        state=Publication.State.CANCELLED
    )
    message.status = Message.Status.SCHEDULED
    message.scheduled_at = at
    message.save(update_fields=["status", "scheduled_at", "updated_at"])
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.SCHEDULED)
    if at <= timezone.now() + timedelta(seconds=settings.ATELIER_DISPATCH_SECONDS):
        waiting = [Publication.State.PENDING, Publication.State.CHECKING]
        due = list(Publication.objects.filter(message=message, state__in=waiting).values_list("pk", flat=True))
        transaction.on_commit(lambda: publications_enqueue(publication_ids=due))
    return message


def _send_again(publication: Publication, *, at: datetime) -> bool:
    """Put a failed or cancelled publication back in the queue for ``at``; False if it changed meanwhile.

    The UPDATE is conditional on the state read, so two requests never queue it twice.
    """
    # Given up after an answer that never came: it may be out there, so look before sending.
    maybe_out = publication.attempt_log.filter(outcome="uncertain").exists()
    return bool(
        Publication.objects.filter(pk=publication.pk, state=publication.state).update(
            state=Publication.State.CHECKING if maybe_out else Publication.State.PENDING,
            due_at=at,
            next_try_at=at,
            claimed_until=None,
            attempts=0,
            last_error="",
        )
    )


@transaction.atomic
def message_retry_failed(*, message: Message, by) -> list[Publication]:
    """Try again, now, the publications of ``message`` that failed; returns those queued.

    Only failed rows move (back to pending, or to checking when an answer was lost:
    the engine then looks on the network before sending), so what went out is never
    sent again. A partly published message stays published meanwhile; a failed one is
    scheduled again. The engine settles the message when they are done.
    """
    from terrain.atelier.access import atelier_access
    from terrain.atelier.message_selectors import message_problems

    message = Message.objects.select_for_update().select_related("structure").get(pk=message.pk)
    if not atelier_access(user=by, structure=message.structure).can_approve:
        raise PermissionDenied
    if message.status not in RETRIABLE:
        raise ValidationError(_("Only a published or failed message can be tried again."), code="status")
    failed = list(message.publications.filter(state=Publication.State.FAILED).select_related("account").order_by("pk"))
    if not failed:
        raise ValidationError(_("Nothing failed: there is nothing to try again."), code="nothing")
    if message.status == Message.Status.FAILED and (problems := message_problems(message)):
        raise ValidationError(problems)
    usable = [p for p in failed if p.account.status != ConnectedAccount.Status.DISCONNECTED]
    if not usable:
        raise ValidationError(_("The accounts it failed on are disconnected: connect them again first."))
    now = timezone.now()
    retried = [p for p in usable if _send_again(p, at=now)]
    if not retried:
        raise ValidationError(_("Nothing failed: there is nothing to try again."), code="nothing")
    if message.status == Message.Status.FAILED:
        message.status = Message.Status.SCHEDULED
        message.scheduled_at = now
        message.save(update_fields=["status", "scheduled_at", "updated_at"])
    accounts = ", ".join(str(p.account) for p in retried)
    MessageEvent.objects.create(
        message=message,
        actor=by,
        kind=MessageEvent.Kind.SCHEDULED,
        text=_("Tried again on %(accounts)s.") % {"accounts": accounts},
    )
    ids = [p.pk for p in retried]
    transaction.on_commit(lambda: publications_enqueue(publication_ids=ids))
    return retried


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


def publications_enqueue(*, publication_ids: list[int]) -> None:
    """Hand publications to the task queue, a batch per task (one task per post would cost more than the post)."""
    from terrain.atelier.tasks import publications_run_batch

    size = max(settings.ATELIER_DISPATCH_BATCH, 1)
    for start in range(0, len(publication_ids), size):
        publications_run_batch.enqueue(publication_ids=publication_ids[start : start + size])


def publications_dispatch_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue the publications due now (and those whose worker died mid-call). Returns how many.

    A pending row handed to the queue is marked (``claimed_until`` in the
    future) so that the next pass, a few seconds later, does not hand it again
    while it waits in a long queue; the worker's claim does not look at that
    mark, and a lost task is handed again once it passes.
    """
    now = now or timezone.now()
    rows = list(
        Publication.objects.filter(due_filter(now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_try_at")
        .values_list("pk", "state")[:limit]
    )
    if not rows:
        return 0
    ids = [pk for pk, _state in rows]
    publications_enqueue(publication_ids=ids)
    waiting = [pk for pk, state in rows if state != Publication.State.PUBLISHING]
    Publication.objects.filter(
        pk__in=waiting, state__in=[Publication.State.PENDING, Publication.State.CHECKING], next_try_at__lte=now
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(
        claimed_until=now + timedelta(seconds=settings.ATELIER_QUEUE_MARK_SECONDS)
    )
    return len(ids)
