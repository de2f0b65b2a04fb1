"""Answers from the inbox, as the team writes, approves, refuses or retries them: each state
change in one transaction, the sending handed to the task worker after commit
(``tasks.reply_send_task`` → ``services.reply_send``, which sends it once)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from terrain.inbox import tasks
from terrain.inbox.models import Conversation, Item, Reply, Status
from terrain.inbox.services import reply_needs_approval


@transaction.atomic
def reply_create(*, conversation: Conversation, item: Item, text: str, by, access) -> Reply:
    """An answer to ``item``: sent at once (after commit), or waiting for approval."""
    waiting = reply_needs_approval(access)
    reply = Reply.objects.create(
        conversation=conversation,
        item=item,
        author=by,
        text=text.strip(),
        state=Reply.State.PENDING_APPROVAL if waiting else Reply.State.SENDING,
        approved_by=None if waiting else by,
    )
    if conversation.status == Status.NEW:
        Conversation.objects.filter(pk=conversation.pk).update(status=Status.IN_PROGRESS)
    if not waiting:
        transaction.on_commit(lambda: tasks.reply_send_task.enqueue(reply.pk))
    return reply


@transaction.atomic
def reply_approve(*, reply: Reply, by) -> bool:
    """Approve a waiting answer: it goes out. False when it was not waiting any more."""
    moved = Reply.objects.filter(pk=reply.pk, state=Reply.State.PENDING_APPROVAL).update(
        state=Reply.State.SENDING, approved_by=by, updated_at=timezone.now()
    )
    if moved:
        transaction.on_commit(lambda: tasks.reply_send_task.enqueue(reply.pk))
    return bool(moved)


@transaction.atomic
def reply_refuse(*, reply: Reply, by) -> bool:
    return bool(
        Reply.objects.filter(pk=reply.pk, state=Reply.State.PENDING_APPROVAL).update(
            state=Reply.State.REFUSED, approved_by=by, updated_at=timezone.now()
        )
    )


@transaction.atomic
def reply_retry(*, reply: Reply, by) -> bool:
    """Send again an answer that failed (with the same marker: a network that received it the
    first time recognises it)."""
    moved = Reply.objects.filter(pk=reply.pk, state=Reply.State.FAILED).update(
        state=Reply.State.SENDING, error="", updated_at=timezone.now()
    )
    if moved:
        transaction.on_commit(lambda: tasks.reply_send_task.enqueue(reply.pk))
    return bool(moved)


@transaction.atomic
def reply_submit(*, conversation: Conversation, item: Item, text: str, by, access, key: str = "") -> tuple[Reply, bool]:
    """``reply_create`` for a form sent with a submission key: the key becomes the answer's
    marker, so the same form sent twice (a double click, a reload) makes one answer. Returns the
    answer and whether it is new."""
    key = key if len(key) == 32 and all(c in "0123456789abcdef" for c in key) else ""
    if key:
        existing = Reply.objects.filter(marker=key).first()
        if existing is not None:
            if existing.conversation_id == conversation.pk and existing.author_id == getattr(by, "pk", None):
                return existing, False
            key = ""  # someone else's key: never reuse it
    reply = reply_create(conversation=conversation, item=item, text=text, by=by, access=access)
    if key:
        Reply.objects.filter(pk=reply.pk).update(marker=key)
        reply.marker = key
    return reply, True
