"""Writes of the feed: record an activity, notify people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.models import BROADCAST_VERBS, Activity, Notification


def activity_record(*, cooperative, actor, verb: str, post=None, comment=None) -> Activity:
    """Record an event; a broadcast one raises its cooperative's ``last_activity_id``.

    GREATEST, not a plain assignment: of two concurrent transactions, the one
    with the lower id may commit last, and the mark must never go down.
    """
    activity = Activity.objects.create(
        cooperative=cooperative,
        actor=actor,
        verb=verb,
        broadcast=verb in BROADCAST_VERBS,
        post=post,
        comment=comment,
    )
    if activity.broadcast:
        Cooperative.objects.filter(pk=cooperative.pk).update(
            last_activity_id=Greatest(Coalesce(F("last_activity_id"), Value(0)), Value(activity.pk))
        )
    return activity


def notifications_create(
    *,
    users: Iterable,
    reason: str,
    actor=None,
    cooperative=None,
    activity: Activity | None = None,
    join_request=None,
    in_feed: bool = False,
    summary: str = "",
    target_url: str = "",
) -> int:
    """One notification per user, never to the actor themself. Returns how many."""
    actor_id = getattr(actor, "pk", None)
    rows = [
        Notification(
            user_id=user.pk,
            reason=reason,
            actor=actor,
            cooperative=cooperative,
            activity=activity,
            join_request=join_request,
            in_feed=in_feed,
            summary=summary[:200],
            target_url=target_url,
        )
        for user in {u.pk: u for u in users}.values()
        if user.pk != actor_id
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_create_many(items: Iterable[tuple[Any, dict]]) -> int:
    """One notification per ``(user, fields)`` pair, all in one INSERT; returns how many.

    For services that tell many people different things at once (the publication
    engine settling a batch of messages, each author told about their own).
    """
    # The summary is cut as notifications_create cuts it: a long reason (a network's error)
    # must not fail the INSERT on PostgreSQL, nor the settling of a batch of messages with it.
    rows = [
        Notification(user_id=user.pk, **{**fields, "summary": fields.get("summary", "")[:200]})
        for user, fields in items
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, user, codes: Iterable[str] | None = None) -> int:
    """Mark some (by code) or all unread notifications of ``user`` as read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def membership_set_muted(*, membership: Membership, muted: bool) -> Membership:
    """Mute (or unmute) a cooperative in the member's activity feed; they stay a member."""
    if membership.muted != muted:
        membership.muted = muted
        membership.save(update_fields=["muted"])
    return membership
