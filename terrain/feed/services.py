"""Writes of the feed: record an activity, notify people."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation

from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.items import kind_of
from terrain.feed.models import Activity, Notification


def activity_record(*, cooperative, actor, verb: str, target=None) -> Activity:
    """Record an event of the registered kind ``verb`` (``feed.items``) about ``target`` (an
    instance of the kind's model, or None for a kind without one); a broadcast kind raises the
    cooperative's ``last_activity_id``, so the event is in the feed of every member at once."""
    return activities_record([{"cooperative_id": cooperative.pk, "actor": actor, "verb": verb, "target": target}])[0]


def activities_record(events: Iterable[dict]) -> list[Activity]:
    """Record many events in one INSERT (a batch of workshop messages published together): each
    a dict of ``cooperative_id``, ``actor`` (or ``actor_id``), ``verb`` and ``target``.

    Each cooperative's mark is raised with GREATEST, not a plain assignment: of two concurrent
    transactions, the one with the lower id may commit last, and the mark must never go down.
    """
    rows = []
    for event in events:
        kind = kind_of(event["verb"])
        if kind is None:
            raise LookupError(f"No feed item kind is registered for the verb {event['verb']!r}.")
        target = event.get("target")
        if (target is None) != (kind.model is None) or (target is not None and not isinstance(target, kind.model)):
            raise TypeError(f"A {kind.verb!r} activity points at a {kind.model!r}, not at {target!r}.")
        actor = event.get("actor")
        rows.append(
            Activity(
                cooperative_id=event["cooperative_id"],
                actor_id=actor.pk if actor is not None else event.get("actor_id"),
                verb=kind.verb,
                broadcast=kind.broadcast,
                target_id=target.pk if target is not None else None,
            )
        )
    activities = Activity.objects.bulk_create(rows)
    newest: dict[int, int] = {}
    for activity in activities:
        if activity.broadcast:
            newest[activity.cooperative_id] = max(newest.get(activity.cooperative_id, 0), activity.pk)
    if newest:
        # One UPDATE for the batch, whatever its number of cooperatives.
        mark = Case(*(When(pk=pk, then=Value(top)) for pk, top in newest.items()), output_field=BigIntegerField())
        Cooperative.objects.filter(pk__in=list(newest)).update(
            last_activity_id=Greatest(Coalesce(F("last_activity_id"), Value(0)), mark)
        )
    return activities


def activities_delete(*, verbs: Iterable[str], targets: Iterable) -> int:
    """Take out of every feed the activities of kinds ``verbs`` about ``targets`` (deleted)."""
    ids = [t.pk for t in targets]
    if not ids:
        return 0
    return Activity.objects.filter(verb__in=list(verbs), target_id__in=ids).delete()[0]


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


def notifications_and_emails_send(
    *,
    users: Iterable,
    reason: str,
    summary: Callable[[], str],
    target_url: str,
    email_template: str,
    email_context: dict,
) -> int:
    """Tell each of ``users`` in their own language: a notification whose summary is ``summary()``
    (called in that language) leading to ``target_url``, and the e-mail ``email_template`` to whoever
    has an address, its context given ``link`` (``target_url`` on this site) and ``site_name``.
    For warnings that must not wait for the person to open Terrain. Returns how many were told."""
    from terrain.accounts.services import email_send

    users = list(users)
    context = {**email_context, "link": f"{settings.SITE_URL}{target_url}", "site_name": settings.SITE_NAME}
    for user in users:
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            notifications_create(users=[user], reason=reason, summary=summary(), target_url=target_url)
            if user.email:
                email_send(template=email_template, context=context, to=[user.email])
    return len(users)


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
