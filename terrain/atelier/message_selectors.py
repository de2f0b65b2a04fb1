"""Reads of the composer and the workflow: message lists and the message page, ready for display."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from terrain.atelier.models import ConnectedAccount, LexiconEntry, Message, MessageEvent, Publication

#: The list's filters: name in the URL -> (label, statuses).
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "brouillons": (_("Drafts"), (Message.Status.DRAFT, Message.Status.CHANGES_REQUESTED)),
    "a-valider": (_("Awaiting approval"), (Message.Status.SUBMITTED,)),
    "valides": (_("Approved, to schedule"), (Message.Status.APPROVED,)),
    "programmes": (_("Scheduled"), (Message.Status.SCHEDULED,)),
    "publies": (_("Published"), (Message.Status.PUBLISHED,)),
    "echecs": (_("Failed"), (Message.Status.FAILED,)),
}


def messages_of(*, structure, status_filter: str = "") -> QuerySet[Message]:
    """A structure's messages, newest first, with what a list row shows (one query per page plus prefetches)."""
    messages = (
        Message.objects.filter(structure=structure)
        .select_related("author")
        .prefetch_related(Prefetch("accounts", queryset=ConnectedAccount.objects.only("pk", "network", "handle")))
        .order_by("-updated_at", "-id")
    )
    if status_filter in FILTERS:
        messages = messages.filter(status__in=FILTERS[status_filter][1])
    return messages


def message_for_page(*, message: Message) -> Message:
    """The message with its variants, images, accounts, conversation and publications loaded."""
    return (
        Message.objects.select_related("structure", "author", "approved_by", "source_post")
        .prefetch_related(
            "variants",
            "images",
            "accounts",
            Prefetch("events", queryset=MessageEvent.objects.select_related("actor")),
            Prefetch(
                "publications",
                queryset=Publication.objects.select_related("account").prefetch_related("attempt_log"),
            ),
        )
        .get(pk=message.pk)
    )


def usable_accounts(*, structure) -> list[ConnectedAccount]:
    """The accounts a message of ``structure`` may go to (a disconnected one may not)."""
    return list(
        ConnectedAccount.objects.filter(structure=structure)
        .exclude(status=ConnectedAccount.Status.DISCONNECTED)
        .order_by("network", "handle")
    )


def lexicon_of(*, structure) -> dict[str, str]:
    return dict(LexiconEntry.objects.filter(structure=structure).values_list("acronym", "expansion"))
