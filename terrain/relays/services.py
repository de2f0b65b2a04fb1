"""Relays: subscriptions, announcing a published message, the daily digest, counting shares."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from terrain.accounts.services import email_send
from terrain.atelier.models import Message
from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.models import Notification
from terrain.feed.services import activities_record, notifications_create
from terrain.lib.text import shorten
from terrain.relays.feed_items import RELAY_CAMPAIGN
from terrain.relays.models import Announcement, DigestItem, Relay, RelayProfile, RelaySubscription
from terrain.relays.sharing import clean_instance
from terrain.structures.models import Structure

logger = logging.getLogger(__name__)


def _is_member(*, user, structure: Structure) -> bool:
    return Membership.objects.filter(user=user, cooperative__structure=structure).exists()


@transaction.atomic
def relay_subscribe(*, user, structure: Structure, mode: str) -> RelaySubscription:
    """Follow (or change how one follows) the relays of a structure one is a member of."""
    if not _is_member(user=user, structure=structure):
        raise PermissionError("only members of a structure follow its relays")
    if mode not in RelaySubscription.Mode.values:
        raise ValueError(mode)
    subscription, _created = RelaySubscription.objects.update_or_create(
        user=user, structure=structure, defaults={"mode": mode}
    )
    return subscription


@transaction.atomic
def relay_unsubscribe(*, user, structure: Structure) -> None:
    RelaySubscription.objects.filter(user=user, structure=structure).delete()
    DigestItem.objects.filter(user=user, message__structure=structure, sent_at__isnull=True).delete()


@transaction.atomic
def relay_profile_update(*, user, mastodon_instance: str, personal_line: str) -> RelayProfile:
    profile, _created = RelayProfile.objects.update_or_create(
        user=user,
        defaults={"mastodon_instance": clean_instance(mastodon_instance), "personal_line": personal_line.strip()[:200]},
    )
    return profile


def relay_page_url(message: Message) -> str:
    return settings.SITE_URL + reverse("relays:message", args=[message.code])


def _summary(message: Message) -> str:
    return shorten(message.title or message.body, 120)


def _email(*, user, template: str, context: dict) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        email_send(template=template, context={**context, "user": user}, to=[user.email])


def relays_announce(*, message: Message) -> int:
    """Tell the structure's relays that ``message`` is published (once per message).

    Every subscriber still a member gets a notification in the app linking to the
    relay page; those who chose it get an e-mail now, or the post in their next
    daily digest. Returns how many were told.
    """
    return relays_announce_many(messages=[message])


def relays_announce_many(*, messages: list[Message]) -> int:
    """The publication engine's hook: :func:`relays_announce` for each message, with one query for all.

    Returns how many people were told in all.
    """
    messages = [m for m in messages if m.status == Message.Status.PUBLISHED]
    if not messages:
        return 0
    by_structure: dict[int, list[RelaySubscription]] = {}
    for subscription in (
        RelaySubscription.objects.filter(
            structure_id__in={m.structure_id for m in messages},
            user__is_active=True,
            user__memberships__cooperative__structure_id=F("structure_id"),
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    ):
        by_structure.setdefault(subscription.structure_id, []).append(subscription)
    plan = [
        (message, [s for s in by_structure.get(message.structure_id, []) if s.user_id != message.author_id])
        for message in messages
    ]
    try:
        with transaction.atomic():
            # First, so that a second run stops here: one announcement per message.
            Announcement.objects.bulk_create(
                [Announcement(message=message, recipients=len(subscriptions)) for message, subscriptions in plan]
            )
            for message, subscriptions in plan:
                _announce(message=message, subscriptions=subscriptions)
            _campaigns_to_feed([message for message, _subscriptions in plan])
    except IntegrityError:
        if len(plan) > 1:  # one of them was announced already: the others one by one
            return sum(relays_announce_many(messages=[message]) for message, _subscriptions in plan)
        if Announcement.objects.filter(message=plan[0][0]).exists():
            return 0  # already announced: the hook ran twice
        raise
    return sum(len(subscriptions) for _message, subscriptions in plan)


def _campaigns_to_feed(messages: list[Message]) -> None:
    """Each announced message in the feed of its structure's cooperative (``relays.feed_items``):
    once, as its announcement is."""
    cooperatives = dict(
        Cooperative.objects.filter(structure_id__in={m.structure_id for m in messages}).values_list(
            "structure_id", "pk"
        )
    )
    activities_record(
        {"cooperative_id": cooperatives[m.structure_id], "actor_id": m.author_id, "verb": RELAY_CAMPAIGN, "target": m}
        for m in messages
        if m.structure_id in cooperatives
    )


def _announce(*, message: Message, subscriptions: list[RelaySubscription]) -> None:
    target = reverse("relays:message", args=[message.code])
    notifications_create(
        users=[s.user for s in subscriptions],
        reason=Notification.Reason.RELAY_REQUEST,
        actor=None,
        summary=_summary(message),
        target_url=target,
    )
    DigestItem.objects.bulk_create(
        [DigestItem(user=s.user, message=message) for s in subscriptions if s.mode == RelaySubscription.Mode.DIGEST],
        ignore_conflicts=True,
    )
    structure = message.structure
    link = relay_page_url(message)
    for subscription in subscriptions:
        if subscription.mode == RelaySubscription.Mode.EMAIL:
            _email(
                user=subscription.user,
                template="relays/email/relay_request",
                context={"message": message, "structure": structure, "link": link, "summary": _summary(message)},
            )


def relays_send_digests() -> int:
    """Send each member one e-mail with the posts waiting for them; returns how many e-mails.

    Items are claimed with a conditional UPDATE (``sent_at`` still empty), so two
    runs at the same time never send the same post twice.
    """
    now = timezone.now()
    pending = list(
        DigestItem.objects.filter(sent_at__isnull=True, created_at__lte=now)
        .select_related("user", "message__structure")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[DigestItem]] = defaultdict(list)
    for item in pending:
        by_user[item.user_id].append(item)
    sent = 0
    for items in by_user.values():
        with transaction.atomic():
            claimed = DigestItem.objects.filter(pk__in=[i.pk for i in items], sent_at__isnull=True).update(sent_at=now)
            if claimed != len(items):  # another run took some: leave them to it
                transaction.set_rollback(True)
                continue
            user = items[0].user
            if not user.is_active:
                continue
            entries = [
                {"message": i.message, "summary": _summary(i.message), "link": relay_page_url(i.message)}
                for i in items
                if i.message.status == Message.Status.PUBLISHED
            ]
            if entries:
                _email(user=user, template="relays/email/digest", context={"entries": entries})
                sent += 1
    return sent


def relay_record(*, message: Message, user, network: str) -> bool:
    """Count that ``user`` shared ``message`` on ``network``; once per member and network. True if new."""
    _relay, created = Relay.objects.get_or_create(message=message, user=user, network=network)
    return created
