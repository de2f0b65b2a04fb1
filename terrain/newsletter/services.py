"""The newsletter's subscribers: double opt-in, one-click unsubscribe, sending an issue.

Nothing here tells a visitor whether an address is already subscribed: asking
again sends (at most every few minutes) the same confirmation e-mail, or nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from terrain.atelier.models import ConnectedAccount
from terrain.newsletter.models import Subscriber
from terrain.structures.models import Structure

CONFIRM_SALT = "terrain.newsletter.confirm"
UNSUBSCRIBE_SALT = "terrain.newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)
# A second request for the same address within this delay sends nothing (no mail bombing).
RESEND_AFTER = timedelta(minutes=10)


def channel_enabled(*, structure: Structure, network: str) -> bool:
    """A structure's newsletter or feed is public once a manager connected it (and until disconnected)."""
    return ConnectedAccount.objects.filter(
        structure=structure, network=network, remote_id=structure.code, status=ConnectedAccount.Status.ACTIVE
    ).exists()


def enabled_structure(*, code: str, network: str) -> Structure | None:
    structure = Structure.objects.filter(code=code).first()
    if structure is None or not channel_enabled(structure=structure, network=network):
        return None
    return structure


def confirm_token(subscriber: Subscriber) -> str:
    # Signed, not encrypted: anyone can read what is inside, so never the address itself.
    return signing.dumps(subscriber.code, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.code, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)])


def subscriber_from_confirm_token(token: str) -> Subscriber | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscribers = Subscriber.objects.select_related("structure")
    if isinstance(value, list) and len(value) == 2:
        # A link sent before the address left the token (it expires with CONFIRM_MAX_AGE).
        return subscribers.filter(code=value[0], email=value[1]).first()
    if not isinstance(value, str):
        return None
    return subscribers.filter(code=value).first()


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        code = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscriber.objects.select_related("structure").filter(code=code).first()


def _send_confirmation(subscriber: Subscriber) -> None:
    link = settings.SITE_URL + reverse("newsletter:confirm", args=[confirm_token(subscriber)])
    context = {"structure": subscriber.structure, "link": link, "site_name": settings.SITE_NAME}
    with translation.override(subscriber.language):
        subject = " ".join(render_to_string("newsletter/email/confirm_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("newsletter/email/confirm.txt", context),
            to=[subscriber.email],
        )
        message.attach_alternative(render_to_string("newsletter/email/confirm.html", context), "text/html")
    message.send()


@transaction.atomic
def subscriber_request(*, structure: Structure, email: str, language: str = "fr") -> None:
    """Someone asks to receive the newsletter: e-mail them a confirmation link (unless already subscribed)."""
    email = email.strip().lower()
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(structure=structure, email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(structure=structure, email=email, language=language[:8])
        except IntegrityError:  # asked twice at the same time
            return
    elif subscriber.status == Subscriber.Status.CONFIRMED or (
        subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < RESEND_AFTER
    ):
        return
    subscriber.status = Subscriber.Status.PENDING
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["status", "confirmation_sent_at", "updated_at"])
    transaction.on_commit(lambda: _send_confirmation(subscriber))


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "updated_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return subscriber


@transaction.atomic
def subscriber_remove(*, structure: Structure, email: str) -> bool:
    """A manager removes an address (at its owner's request): it gets nothing more. True if it was there.

    (The view tells the manager the same either way: the list of subscribers is not theirs to probe.)
    """
    return bool(
        Subscriber.objects.filter(structure=structure, email__iexact=email.strip())
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), updated_at=timezone.now())
    )


def subscriber_counts(structure: Structure) -> dict[str, int]:
    rows = dict(Subscriber.objects.filter(structure=structure).values_list("status").annotate(n=Count("id")).order_by())
    return {status: rows.get(status, 0) for status in Subscriber.Status.values}


def delivery_connection():
    """The mail backend that actually delivers (SMTP in production).

    The newsletter is sent from the publication worker already, so it does not
    queue again: an SMTP failure must reach the publication's state machine
    (transient error, retried) instead of vanishing in another queue.
    """
    return get_connection(settings.EMAIL_DELIVERY_BACKEND)


@transaction.atomic
def channel_enable(*, structure: Structure, network: str, by) -> ConnectedAccount:
    """A manager opens the structure's newsletter or feed: an "owned" connected account, public from now on."""
    from terrain.networks.base import AccountData
    from terrain.networks.registry import get_connector

    info = get_connector(network).validate_credentials(AccountData(api_base="", secrets={}, remote_id=structure.code))
    account, _created = ConnectedAccount.objects.update_or_create(
        structure=structure,
        network=network,
        remote_id=structure.code,
        defaults={
            "handle": info.handle,
            "display_name": info.display_name,
            "status": ConnectedAccount.Status.ACTIVE,
            "status_detail": "",
            "connected_by": by,
            "followers": info.followers,
        },
    )
    return account


@transaction.atomic
def channel_disable(*, structure: Structure, network: str, by) -> None:
    """Close the public page: the subscribers are kept (they find it again if it reopens)."""
    ConnectedAccount.objects.filter(structure=structure, network=network, remote_id=structure.code).update(
        status=ConnectedAccount.Status.DISCONNECTED
    )
