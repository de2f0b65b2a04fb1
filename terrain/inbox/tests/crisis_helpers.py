"""Building inbox rows with known times and tones, for the figures and crisis tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from terrain.inbox.models import Conversation, Item, ItemKind, Reply
from terrain.inbox.tone import PRIORITY, Tone

_seq = count(1)


def thread(
    structure,
    *,
    at: datetime,
    network: str = "mastodon",
    tone: str = Tone.NEUTRAL,
    kind: str = ItemKind.REPLY,
    replied_after: timedelta | None = None,
    items: int = 1,
    text: str = "Un commentaire",
) -> Conversation:
    """A conversation of ``items`` items from ``at`` (a minute apart), answered ``replied_after`` its first."""
    n = next(_seq)
    conversation = Conversation.objects.create(
        structure=structure,
        network=network,
        thread_key=f"t{n}",
        kind=kind,
        tone=tone,
        priority=PRIORITY[Tone(tone)],
        first_item_at=at,
        last_item_at=at + timedelta(minutes=items - 1),
        items_count=items,
        first_reply_at=at + replied_after if replied_after is not None else None,
    )
    for i in range(items):
        Item.objects.create(
            conversation=conversation,
            source="a0",
            remote_id=f"r{n}-{i}",
            kind=kind,
            author_handle=f"@personne{n}",
            author_name=f"Personne {n}",
            text=f"{text} {n}.{i}",
            created_at=at + timedelta(minutes=i),
            tone=tone,
        )
    if replied_after is not None:
        Reply.objects.create(
            conversation=conversation,
            item=conversation.items.first(),
            text="Merci, nous regardons.",
            state=Reply.State.SENT,
            sent_at=at + replied_after,
        )
    return conversation


def heat(
    structure,
    *,
    at: datetime,
    n: int,
    tone: str = Tone.HOSTILE,
    spacing: timedelta = timedelta(minutes=1),
    text: str = "Un commentaire",
):
    """``n`` threads of one hostile item each, from ``at``, ``spacing`` apart."""
    return [thread(structure, at=at + i * spacing, tone=tone, text=text) for i in range(n)]
