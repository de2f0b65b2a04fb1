"""Reads on accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from terrain.accounts.models import Invitation, User
from terrain.cooperatives.models import Membership
from terrain.lib.codes import looks_like_code


def user_by_email(email: str) -> User | None:
    """The account registered with ``email`` (case-insensitive), if any."""
    return User.objects.filter(email__iexact=(email or "").strip()).first()


def user_by_code(code: str) -> User | None:
    """An active member by public code; ``None`` for anything else (no query on junk input)."""
    if not looks_like_code(code):
        return None
    return User.objects.filter(code=code, is_active=True).first()


def handle_taken(handle: str, *, exclude: User | None = None) -> bool:
    qs = User.objects.filter(handle__iexact=handle)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def users_share_a_cooperative(a: User, b: User) -> bool:
    """True when ``a`` and ``b`` are both members of at least one cooperative."""
    if a.pk is None or b.pk is None:
        return False
    return Membership.objects.filter(user=b, cooperative__memberships__user=a).exists()


def platform_invitations_recent(*, limit: int = 30) -> QuerySet[Invitation]:
    """The latest invitations to the platform itself (no cooperative), newest first."""
    return (
        Invitation.objects.filter(cooperative__isnull=True).select_related("invited_by").order_by("-created_at")[:limit]
    )


def invitations_waiting_for(user: User) -> QuerySet[Invitation]:
    """The usable invitations sent to ``user``'s address, newest first (what they may accept or decline)."""
    return (
        Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by", "cooperative__structure")
        .order_by("-created_at")
    )
