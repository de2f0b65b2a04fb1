"""The workshop in the feed (``feed.items``): a message its structure published.

The members of a structure (its private cooperative) see in their feed what their structure
published on its networks. Recorded by a hook of the publication engine
(``settings.ATELIER_ON_PUBLISHED``), once per batch of messages and once per message even when
the hook runs twice.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.atelier.models import Message
from terrain.feed.items import ItemKind, register

MESSAGE_PUBLISHED = "message_published"


def message_card_key(activity) -> tuple:
    """The card of a published message: other apps' items about it (its relay call) join it."""
    return (MESSAGE_PUBLISHED, activity.target_id)


register(
    ItemKind(
        verb=MESSAGE_PUBLISHED,
        label=_("published a message on the structure's networks"),
        model=Message,
        broadcast=True,
        related=("structure",),
        template="atelier/feed/_message_published.html",
        group=message_card_key,
    )
)


def messages_to_feed(*, messages: list[Message]) -> int:
    """The engine's hook: each published message in the feed of its structure's cooperative,
    once. Returns how many activities were recorded."""
    from django.db import transaction

    from terrain.cooperatives.models import Cooperative
    from terrain.feed.models import Activity
    from terrain.feed.services import activities_record

    messages = [m for m in messages if m.status == Message.Status.PUBLISHED]
    if not messages:
        return 0
    cooperatives = dict(
        Cooperative.objects.filter(structure_id__in={m.structure_id for m in messages}).values_list(
            "structure_id", "pk"
        )
    )
    with transaction.atomic():
        # A hook may run twice (a worker restarted): the messages already in the feed are skipped.
        done = set(
            Activity.objects.filter(verb=MESSAGE_PUBLISHED, target_id__in=[m.pk for m in messages]).values_list(
                "target_id", flat=True
            )
        )
        events = [
            {
                "cooperative_id": cooperatives[m.structure_id],
                "actor_id": m.author_id,
                "verb": MESSAGE_PUBLISHED,
                "target": m,
            }
            for m in messages
            if m.pk not in done and m.structure_id in cooperatives
        ]
        return len(activities_record(events))
