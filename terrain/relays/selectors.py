from __future__ import annotations

from django.db.models import Count

from terrain.atelier.models import Message, Publication
from terrain.insights.links import is_web_url
from terrain.networks.registry import get_connector, share_targets
from terrain.relays.models import Relay, RelayProfile, RelaySubscription
from terrain.structures.models import Official, Structure


def relay_counts(message: Message) -> dict[str, int]:
    """How many members relayed ``message``, per share network (only networks with at least one)."""
    rows = Relay.objects.filter(message=message).values_list("network").annotate(n=Count("id")).order_by()
    found = dict(rows)
    return {target.kind: found[target.kind] for target in share_targets() if target.kind in found}


def relay_counts_for(messages: list[Message]) -> dict[int, dict[str, int]]:
    """``relay_counts`` for several messages in one query: message id -> network -> count."""
    counts: dict[int, dict[str, int]] = {m.pk: {} for m in messages}
    rows = (
        Relay.objects.filter(message__in=messages)
        .values_list("message_id", "network")
        .annotate(n=Count("id"))
        .order_by()
    )
    for message_id, network, n in rows:
        counts[message_id][network] = n
    return counts


def structures_to_follow(user) -> list[Structure]:
    """The structures whose private cooperative ``user`` belongs to, with ``subscription`` (or None) and
    ``managed`` (the user holds a mandate in it or above it) set."""
    structures = list(
        Structure.objects.filter(cooperative__memberships__user=user).select_related("parent").order_by("path")
    )
    subscriptions = {s.structure_id: s for s in RelaySubscription.objects.filter(user=user, structure__in=structures)}
    mandates = set(Official.objects.filter(user=user).values_list("structure_id", flat=True))
    for structure in structures:
        structure.subscription = subscriptions.get(structure.pk)
        structure.managed = bool(mandates & {structure.pk, *structure.ancestor_ids()})
    return structures


def relay_profile_of(user) -> RelayProfile:
    return RelayProfile.objects.filter(user=user).first() or RelayProfile(user=user)


def public_links_of(message: Message) -> list[Publication]:
    """Where people read the message on each network: its published publications, each with
    ``page_url`` (a web page, never a feed file: the connector says where its page is)."""
    publications = (
        Publication.objects.filter(message=message, state=Publication.State.PUBLISHED)
        .select_related("account")
        .order_by("account__network")
    )
    links = []
    for publication in publications:
        account = publication.account
        publication.page_url = get_connector(account.network).page_url(
            account_remote_id=account.remote_id, remote_id=publication.remote_id, remote_url=publication.remote_url
        )
        # An address a network sent back is shown as a link only if it is a web address.
        if is_web_url(publication.page_url):
            links.append(publication)
    return links


def recent_messages_with_counts(structure: Structure, *, limit: int = 30) -> list[Message]:
    """The structure's latest published messages with ``relay_counts``, ``relay_total`` and
    ``relay_row`` (the counts in the order of the share targets)."""
    messages = list(
        Message.objects.filter(structure=structure, status=Message.Status.PUBLISHED).order_by("-published_at", "-id")[
            :limit
        ]
    )
    counts = relay_counts_for(messages)
    kinds = [target.kind for target in share_targets()]
    for message in messages:
        message.relay_counts = counts[message.pk]
        message.relay_row = [counts[message.pk].get(network, 0) for network in kinds]
        message.relay_total = sum(counts[message.pk].values())
    return messages
