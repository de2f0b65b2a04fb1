"""Threads for the inbox's tests, stored as the reading leaves them."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from django.utils import timezone

from terrain.inbox import tone
from terrain.inbox.models import Conversation, Item, ItemKind, Status

_seq = count(1)


def make_thread(
    structure,
    *,
    text: str = "Bonjour, quand a lieu la prochaine AG ?",
    network: str = "mastodon",
    kind: str = ItemKind.REPLY,
    tone_value: str = tone.Tone.NEUTRAL,
    reason: str = "",
    status: str = Status.NEW,
    author: str = "Camille",
    ago: timedelta = timedelta(hours=1),
    tags: list[str] | None = None,
    assignee=None,
    reply_to: str = "r1",
) -> Conversation:
    n = next(_seq)
    at = timezone.now() - ago
    conversation = Conversation.objects.create(
        structure=structure,
        network=network,
        thread_key=f"t{n}",
        kind=kind,
        status=status,
        tone=tone_value,
        priority=tone.PRIORITY[tone.Tone(tone_value)],
        first_item_at=at,
        last_item_at=at,
        items_count=1,
        tags=tags or [],
        assignee=assignee,
    )
    Item.objects.create(
        conversation=conversation,
        source="a0",
        remote_id=f"i{n}",
        kind=kind,
        author_name=author,
        author_handle=author.lower(),
        text=text,
        created_at=at,
        tone=tone_value,
        tone_reason=reason,
        reply_to=reply_to,
    )
    return conversation
