"""Reads of cooperatives and memberships, with their related rows fetched up front.

Each selector costs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from terrain.accounts.models import Invitation
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.lib.text import fold


def cooperatives_of(user) -> QuerySet[Membership]:
    """The memberships of ``user`` with their cooperatives: live ones first, by name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("cooperative", "cooperative__structure")
        .order_by(F("cooperative__archived_at").asc(nulls_first=True), "cooperative__name", "cooperative_id")
    )


def cooperatives_to_post_in(*, user) -> list[Cooperative]:
    """The cooperatives where ``user`` may post (``CooperativeAccess.can_post``: a member, the
    cooperative not archived), by name: the choices of the composer opened from the feed."""
    return list(
        Cooperative.objects.filter(memberships__user=user, archived_at__isnull=True)
        .only("id", "code", "name")
        .order_by("name", "id")
    )


def cooperatives_to_discover(user, q: str = "") -> QuerySet[Cooperative]:
    """Open, live cooperatives ``user`` is not in, optionally matching ``q`` by name or description.

    The match ignores accents and case ("egalite" finds "Égalité"), on every database.

    Private cooperatives never appear here, whoever asks. Each row carries
    ``request_pending``: whether ``user`` has asked to join and waits.
    """
    mine = Membership.objects.filter(user=user).values("cooperative_id")
    pending = JoinRequest.objects.filter(cooperative=OuterRef("pk"), user=user, status=JoinRequest.Status.PENDING)
    qs = (
        Cooperative.objects.filter(kind=Cooperative.Kind.OPEN, archived_at__isnull=True)
        .exclude(pk__in=mine)
        .annotate(request_pending=Exists(pending))
    )
    q = fold(q)
    if q:
        qs = qs.filter(search_text__contains=q)
    return qs.order_by("-member_count", "name", "pk")


def members_of(cooperative: Cooperative, q: str = "") -> QuerySet[Membership]:
    """The members of ``cooperative`` with their accounts: facilitators first, then by name.

    ``q`` matches the display name or the @mention name, ignoring accents and case.
    """
    qs = Membership.objects.filter(cooperative=cooperative).select_related("user")
    q = fold(q)
    if q:
        qs = qs.filter(user__search_name__contains=q)
    # "animateur" sorts before "member": facilitators come first.
    return qs.order_by("role", "user__display_name", "pk")


def pending_requests(cooperative: Cooperative) -> QuerySet[JoinRequest]:
    """Requests to join that wait for a facilitator, oldest first."""
    return (
        JoinRequest.objects.filter(cooperative=cooperative, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def pending_request_of(cooperative: Cooperative, user) -> JoinRequest | None:
    """The request of ``user`` to join ``cooperative`` that waits for an answer, if any."""
    return JoinRequest.objects.filter(cooperative=cooperative, user=user, status=JoinRequest.Status.PENDING).first()


def membership_of(cooperative: Cooperative, user_code: str) -> Membership | None:
    """The membership of the person with code ``user_code`` in ``cooperative``, if any."""
    membership = Membership.objects.select_related("user").filter(cooperative=cooperative, user__code=user_code).first()
    if membership is not None:
        membership.cooperative = cooperative  # already loaded, with its structure
    return membership


def invitation_waiting_for(cooperative: Cooperative, user) -> Invitation | None:
    """The newest usable invitation to ``cooperative`` sent to ``user``'s address, if any."""
    return (
        Invitation.objects.filter(
            cooperative=cooperative,
            email__iexact=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
        .first()
    )
