"""Reads of the composer and the workflow: message lists and the message page, ready for display."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.atelier.models import Cadence, ConnectedAccount, Message, MessageEvent, MessageImage, Publication
from terrain.lib.text import shorten
from terrain.library.selectors import photo_share_refusal
from terrain.networks import counting
from terrain.networks.registry import display_order, find_connector
from terrain.networks.registry import label as network_label

#: The list's filters: name in the URL -> (label, statuses). "echecs" also finds the published
#: messages that failed on some of their accounts (see :func:`messages_of`).
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "brouillons": (gettext_lazy("Drafts"), (Message.Status.DRAFT, Message.Status.CHANGES_REQUESTED)),
    "a-valider": (gettext_lazy("Awaiting approval"), (Message.Status.SUBMITTED,)),
    "valides": (gettext_lazy("Approved, to schedule"), (Message.Status.APPROVED,)),
    "programmes": (gettext_lazy("Scheduled"), (Message.Status.SCHEDULED,)),
    "publies": (gettext_lazy("Published"), (Message.Status.PUBLISHED,)),
    "echecs": (gettext_lazy("Failed"), (Message.Status.FAILED,)),
}


def messages_of(*, structure, status_filter: str = "") -> QuerySet[Message]:
    """A structure's messages, newest first, with what a list row shows (one query per page plus prefetches)."""
    messages = (
        Message.objects.filter(structure=structure)
        .select_related("author")
        .prefetch_related(
            Prefetch("accounts", queryset=ConnectedAccount.objects.only("pk", "network", "handle")),
            Prefetch(
                "publications",
                queryset=Publication.objects.exclude(state=Publication.State.CANCELLED).select_related("account"),
            ),
        )
        .order_by("-updated_at", "-id")
    )
    if status_filter == "echecs":
        # A failure hidden under "Published" must be found here too.
        failed = Publication.objects.filter(message=OuterRef("pk"), state=Publication.State.FAILED)
        messages = messages.filter(
            Q(status__in=FILTERS[status_filter][1]) | Q(status=Message.Status.PUBLISHED) & Exists(failed)
        )
    elif status_filter in FILTERS:
        messages = messages.filter(status__in=FILTERS[status_filter][1])
    return messages


@dataclass
class PublicationSummary:
    """Where a message went, from its publications (cancelled ones left out): for its status line."""

    published: list[Publication] = field(default_factory=list)
    failed: list[Publication] = field(default_factory=list)
    waiting: list[Publication] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.published) + len(self.failed) + len(self.waiting)

    @property
    def partly_failed(self) -> bool:
        """Out on some accounts, failed on others: "Published" alone would hide the failure."""
        return bool(self.published and self.failed)

    @property
    def failed_accounts(self) -> str:
        return ", ".join(_network_and_handle(p.account) for p in self.failed)

    @property
    def waiting_accounts(self) -> str:
        return ", ".join(_network_and_handle(p.account) for p in self.waiting)


def _network_and_handle(account: ConnectedAccount) -> str:
    return f"{account.get_network_display()} ({account.handle})" if account.handle else account.get_network_display()


def publication_summary(message: Message) -> PublicationSummary:
    """Sort the message's publications (prefetched by :func:`messages_of` and :func:`message_for_page`)."""
    summary = PublicationSummary()
    for publication in message.publications.all():
        if publication.state == Publication.State.PUBLISHED:
            summary.published.append(publication)
        elif publication.state == Publication.State.FAILED:
            summary.failed.append(publication)
        elif publication.state != Publication.State.CANCELLED:
            summary.waiting.append(publication)
    return summary


def message_for_page(*, message: Message) -> Message:
    """The message with its variants, images, accounts, conversation and publications loaded."""
    return (
        Message.objects.select_related("structure", "author", "approved_by", "source_post")
        .prefetch_related(
            "variants",
            Prefetch("images", queryset=MessageImage.objects.select_related("source_file")),
            "accounts",
            Prefetch("events", queryset=MessageEvent.objects.select_related("actor")),
            Prefetch(
                "publications",
                queryset=Publication.objects.select_related("account").prefetch_related("attempt_log"),
            ),
        )
        .get(pk=message.pk)
    )


def publishes(account: ConnectedAccount) -> bool:
    """Whether messages can go out through ``account`` (not a channel that only receives, such as
    an e-mail inbox: ``Connector.can_publish``; not a network whose connector is gone)."""
    from terrain.networks.registry import get_connector

    try:
        return get_connector(account.network).can_publish
    except KeyError:  # a network whose connector is gone from this site
        return False


def usable_accounts(*, structure) -> list[ConnectedAccount]:
    """The accounts a message of ``structure`` may go to (a disconnected one may not, nor one
    that does not publish)."""
    accounts = (
        ConnectedAccount.objects.filter(structure=structure)
        .exclude(status=ConnectedAccount.Status.DISCONNECTED)
        .order_by("network", "handle")
    )
    return [account for account in accounts if publishes(account)]


def accounts_to_tick(*, structure, author, accounts: list[ConnectedAccount], network: str = "") -> list[str]:
    """The codes of the accounts a new message starts with, so that a week's posts are not ticked one by one.

    The accounts of the author's last message in the structure; failing that, those of
    the networks the strategy plans posts on. ``network`` (a gap of the calendar) adds
    that network's accounts. Only connected accounts: one to reconnect is ticked by hand.
    """
    active = {a.pk: a for a in accounts if a.status == ConnectedAccount.Status.ACTIVE}
    last = (
        Message.objects.filter(structure=structure, author=author, accounts__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    chosen = [active[pk] for pk in last.accounts.values_list("pk", flat=True) if pk in active] if last else []
    if not chosen:
        planned = set(Cadence.objects.filter(strategy__structure=structure).values_list("network", flat=True))
        chosen = [a for a in active.values() if a.network in planned]
    if network:
        chosen += [a for a in active.values() if a.network == network and a not in chosen]
    return [a.code for a in chosen]


def account_label(account: ConnectedAccount) -> str:
    """ "Bluesky · section.bsky.social": how a person names an account."""
    return f"{account.get_network_display()} · {account.handle or account.display_name}"


# --- What a message says on each network, and what stops it from going out ---------------


def link_in_text(network: str, *, with_media: bool) -> bool:
    """Whether ``network``'s connector sends the link at the end of the text."""
    connector = find_connector(network)
    return connector is not None and connector.link_counts_in_text(with_media=with_media)


def message_url(message: Message) -> str:
    return reverse("atelier:message_detail", args=[message.code])


def excerpt(message: Message, length: int = 120) -> str:
    return shorten(message.title or message.body, length)


def text_for(message: Message, network: str, variants: Mapping[str, str] | None = None) -> str:
    """The text sent to ``network``: its variant when there is one, else the message's text."""
    if variants is None:
        variants = {v.network: v.body for v in message.variants.all()}
    return variants.get(network) or message.body


def sent_text(network: str, text: str, link: str, *, with_media: bool = False) -> str:
    """The text as the network will count it: where the link has no field of its own, it ends the text."""
    connector = find_connector(network)
    return connector.sent_text(text, link, with_media=with_media) if connector is not None else text


def message_problems(message: Message) -> list[str]:
    """What stops the message from going out, in words for its author (empty when ready)."""
    problems: list[str] = []
    variants = {v.network: v.body for v in message.variants.all()}
    accounts = [a for a in message.accounts.all() if a.status != ConnectedAccount.Status.DISCONNECTED]
    images = list(message.images.all())
    if not message.body.strip() and not any(v.strip() for v in variants.values()):
        problems.append(_("Write the text of the message."))
    if not accounts:
        problems.append(_("Choose at least one account to publish to."))
    missing_alt = [n for n, image in enumerate(images, start=1) if not image.alt_text.strip()]
    if missing_alt:
        problems.append(
            _(
                "Describe image %(numbers)s: the description is read aloud to people who cannot see the image, "
                "and no network gets the message without it."
            )
            % {"numbers": ", ".join(str(n) for n in missing_alt)}
        )
    for number, image in enumerate(images, start=1):
        # A library photo whose consent was withdrawn (or never marked) since it was sent here.
        if image.source_file_id and (refusal := photo_share_refusal(image.source_file)):
            problems.append(_("Image %(number)s: %(reason)s") % {"number": number, "reason": refusal})
    for network in sorted({a.network for a in accounts}, key=display_order):
        maximum = counting.limit(network, with_media=bool(images))
        text = sent_text(network, text_for(message, network, variants), message.link, with_media=bool(images))
        if maximum is not None and (length := counting.count(network, text)) > maximum:
            problems.append(
                _("Too long for %(network)s: %(count)s characters out of %(max)s. Shorten it or write a variant.")
                % {"network": network_label(network), "count": length, "max": maximum}
            )
    if not images:
        for network in sorted({a.network for a in accounts}, key=display_order):
            connector = find_connector(network)
            if connector is not None and connector.media_required:
                problems.append(
                    _("%(network)s publishes only posts with an image: add one.") % {"network": connector.label}
                )
    return problems
