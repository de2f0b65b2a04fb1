"""Every write on accounts goes through these functions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terrain.accounts.models import Invitation, User, search_name_for
from terrain.lib.images import CleanImage
from terrain.lib.text import fold


def handle_for(display_name: str, *, exclude_pk: int | None = None) -> str:
    """A free @mention name derived from the display name: "Marie Dupont" -> "marie.dupont"."""
    # Folded first: slugify drops ligatures ("Œdipe" would become "dipe").
    base = slugify(fold(display_name)).replace("-", ".")[:34].strip(".") or "membre"
    if len(base) < 3:
        base = f"{base}.membre"
    candidate, n = base, 1
    while User.objects.filter(handle=candidate).exclude(pk=exclude_pk).exists():
        n += 1
        candidate = f"{base}.{n}"
    return candidate


@transaction.atomic
def user_create(*, email: str, display_name: str, password: str | None = None, **fields) -> User:
    user = User.objects.create_user(email=email, password=password, display_name=display_name, **fields)
    user.handle = handle_for(display_name, exclude_pk=user.pk)
    user.search_name = search_name_for(user.display_name, user.handle)
    user.save(update_fields=["handle", "search_name"])
    return user


def user_update_preferences(*, user: User, language: str | None = None, time_zone: str | None = None) -> User:
    fields = []
    if language is not None:
        user.language = language
        fields.append("language")
    if time_zone is not None:
        user.timezone = time_zone
        fields.append("timezone")
    if fields:
        user.save(update_fields=fields)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation behind a link's token, usable or not (the view explains which)."""
    return Invitation.objects.select_related("cooperative", "invited_by").filter(token_hash=_token_hash(token)).first()


@transaction.atomic
def invitation_create(*, email: str, by, cooperative=None, message: str = "", mandate: str = "") -> Invitation:
    """Invite someone by e-mail, optionally into a cooperative (and to a mandate in its structure).

    A still-valid invitation for the same address and cooperative is revoked
    and replaced, so only the newest link works. The e-mail leaves on commit.
    Whether the address has an account changes only the e-mail's wording,
    never what the inviter is told.
    """
    email = User.objects.normalize_email(email).strip().lower()
    Invitation.objects.filter(
        email=email, cooperative=cooperative, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        token_hash=_token_hash(token),
        invited_by=by,
        cooperative=cooperative,
        message=message,
        mandate=mandate,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    existing = User.objects.filter(email__iexact=email).first()
    context = {
        "invitation": invitation,
        "inviter": by,
        "cooperative": cooperative,
        "existing_account": existing is not None,
        "link": settings.SITE_URL + reverse("accounts:invitation_accept", args=[token]),
        "valid_days": settings.INVITATION_VALID_DAYS,
        "site_name": settings.SITE_NAME,
    }
    with translation.override(existing.language if existing else settings.LANGUAGE_CODE):
        email_send(template="accounts/email/invitation", context=context, to=[email])
    return invitation


#: What accepting an invitation does besides using it up, one step per app above accounts
#: (cooperatives: the membership; structures: the mandate), registered by each app's
#: ``AppConfig.ready``. accounts sits below those apps and never imports them. Each step
#: is idempotent and gives roles only upwards, so their order does not matter.
_ACCEPTANCE_STEPS: list[Callable[[Invitation, User], object]] = []


def invitation_acceptance_step(step: Callable[[Invitation, User], object]) -> Callable[[Invitation, User], object]:
    """Register ``step(invitation, user)``, run inside the acceptance's transaction (once per step)."""
    if step not in _ACCEPTANCE_STEPS:
        _ACCEPTANCE_STEPS.append(step)
    return step


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """Use an invitation once: mark it and run the registered steps (membership, mandate)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ValidationError(_("This invitation has already been used or has expired."), code="unusable")
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    for step in _ACCEPTANCE_STEPS:
        step(locked, user)
    return locked


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    """Refuse an invitation sent to ``user``'s address: the link stops working, nothing else happens."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.email.lower() != user.email.lower():
        raise ValidationError(_("This invitation was sent to another address."), code="other_account")
    if not locked.is_usable:
        raise ValidationError(_("This invitation has already been used or has expired."), code="unusable")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


def password_reset_claim(*, user: User) -> bool:
    """Whether a reset e-mail may leave for ``user`` now; if so, the slot is taken.

    At most one per ``PASSWORD_RESET_INTERVAL_SECONDS``, whoever asks and from
    wherever: a conditional UPDATE, so two requests at once send one e-mail.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.PASSWORD_RESET_INTERVAL_SECONDS)
    return bool(
        User.objects.filter(pk=user.pk)
        .filter(Q(password_reset_sent_at__isnull=True) | Q(password_reset_sent_at__lte=since))
        .update(password_reset_sent_at=now)
    )


def email_send(*, template: str, context: dict, to: list[str]) -> None:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` and send (queued to the worker)."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


@transaction.atomic
def invitation_signup(*, invitation: Invitation, display_name: str, password: str, language: str | None = None) -> User:
    """Create the account of a newly invited person and use their invitation, all or nothing.

    The account takes the address the invitation was sent to (the link proves
    the person reads that mailbox). Raises ``ValidationError`` (code
    ``unusable``) if the invitation was used or revoked meanwhile; the account
    is then not created.
    """
    fields = {"language": language} if language in dict(settings.LANGUAGES) else {}
    user = user_create(email=invitation.email, display_name=display_name, password=password, **fields)
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    handle: str,
    bio: str,
    email_visibility: str,
    photo_visibility: str,
    bio_visibility: str,
    language: str,
    time_zone: str,
    photo: CleanImage | None = None,
    remove_photo: bool = False,
    email_notifications: bool | None = None,
) -> User:
    """Save a member's own profile (``email_notifications`` None: unchanged).

    ``photo`` is an already cleaned image (``terrain.lib.images.clean_image``):
    it replaces the current one. ``remove_photo`` deletes the current photo
    when no new one is given. A replaced file is deleted from storage only
    once the transaction commits, so a rollback never leaves a broken photo.
    """
    old_photo_name = user.photo.name if user.photo else ""
    user.display_name = display_name
    user.handle = handle.lower()
    user.search_name = search_name_for(user.display_name, user.handle)
    user.bio = bio
    user.email_visibility = email_visibility
    user.photo_visibility = photo_visibility
    user.bio_visibility = bio_visibility
    if email_notifications is not None:
        user.email_notifications = email_notifications
    user.language = language
    user.timezone = time_zone
    if photo is not None:
        # photo_path() gives the file a random name; the extension follows the re-encoded format.
        user.photo.save(f"photo.{photo.extension}", photo.content, save=False)
    elif remove_photo:
        user.photo = ""
    user.save(
        update_fields=[
            "display_name",
            "handle",
            "search_name",
            "bio",
            "email_visibility",
            "photo_visibility",
            "bio_visibility",
            "email_notifications",
            "language",
            "timezone",
            "photo",
        ]
    )
    new_photo_name = user.photo.name if user.photo else ""
    if old_photo_name and old_photo_name != new_photo_name:
        storage = user.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo_name))
    return user
