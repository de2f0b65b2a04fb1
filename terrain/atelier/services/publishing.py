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
from terrain.atelier.workflows import (
    MESSAGE,
    PUBLICATION,
    RETRIABLE,
    SCHEDULABLE,
    SCHEDULABLE_UNAPPROVED,
    UNSCHEDULABLE,
)

__all__ = [
    "message_publish_now",
    "message_retry_failed",
    "message_schedule",
    "message_unschedule",
    "publication_run",
    "publications_dispatch_due",
    "publications_enqueue",
]

# The sets tested here (what may be scheduled, tried again…) come from the tables of terrain/atelier/workflows.py.


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
    if message.status in SCHEDULABLE:
        transition = "schedule"
    elif message.status in SCHEDULABLE_UNAPPROVED and not approval_required(message.structure):
        transition = "schedule_unapproved"
    else:
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
        elif PUBLICATION.allows("reschedule", publication.state):
            PUBLICATION.move(
                ids=[publication.pk],
                transition="reschedule",
                sources=[publication.state],
                due_at=at,
                next_try_at=at,
                claimed_until=None,
            )
        elif PUBLICATION.allows("send_again", publication.state):
            _send_again(publication, at=at)
        # Published, publishing or being checked: never touched, so never sent again.
    # An account taken off the message before publication: its publication is cancelled.
    gone = [p.pk for p in existing.values() if p.account_id not in {a.pk for a in accounts}]
    PUBLICATION.move(ids=gone, transition="cancel")
    MESSAGE.move_one(message, transition, scheduled_at=at)
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
    return PUBLICATION.move_one(
        publication,
        "check_again" if maybe_out else "send_again",
        due_at=at,
        next_try_at=at,
        claimed_until=None,
        attempts=0,
        last_error="",
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
    # Failed: back on the calendar for now. Partly published: it stays published meanwhile.
    MESSAGE.move_one(message, "retry", **({"scheduled_at": now} if message.status == Message.Status.FAILED else {}))
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
    if message.status not in UNSCHEDULABLE:
        raise ValidationError(_("This message is not scheduled."))
    return message_leave_calendar(message=message, transition="unschedule", by=by)


def message_leave_calendar(*, message: Message, transition: str, by, **values) -> Message:
    """Move a message (locked by the caller) by ``transition``; if it was scheduled, take it off the
    calendar on the way: its publications not started are cancelled (what is out stays out).

    One step for the message (unscheduled, sent back to draft or for changes, cancelled),
    as the workflow's table declares it.
    """
    scheduled = message.status in UNSCHEDULABLE
    if scheduled:
        PUBLICATION.move(
            ids=list(message.publications.values_list("pk", flat=True)),
            transition="cancel",
        )
        values["scheduled_at"] = None
    MESSAGE.move_one(message, transition, **values)
    if scheduled:
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
