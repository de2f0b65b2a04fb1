"""Every write on cooperatives and memberships goes through these functions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.models import Verb
from terrain.feed.services import activity_record


@transaction.atomic
def cooperative_create_open(
    *, name: str, by, description: str = "", join_policy: str = Cooperative.JoinPolicy.REQUEST, image=None
) -> Cooperative:
    """An open cooperative created by a member, who becomes its first facilitator."""
    cooperative = Cooperative.objects.create(
        kind=Cooperative.Kind.OPEN,
        name=name,
        description=description,
        join_policy=join_policy,
        created_by=by,
    )
    if image is not None:
        from terrain.lib.images import clean_image

        cleaned = clean_image(image, max_side=1200)
        cooperative.image.save(f"c.{cleaned.extension}", cleaned.content, save=True)
    membership_add(cooperative=cooperative, user=by, role=Membership.Role.ANIMATEUR, announce=False)
    return cooperative


@transaction.atomic
def membership_add(
    *, cooperative: Cooperative, user, role: str = Membership.Role.MEMBER, announce: bool = True
) -> Membership:
    """Make ``user`` a member (idempotent). A higher role given later upgrades the membership."""
    membership = Membership.objects.filter(cooperative=cooperative, user=user).first()
    if membership is not None:
        if role == Membership.Role.ANIMATEUR and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        return membership
    try:
        with transaction.atomic():
            membership = Membership.objects.create(cooperative=cooperative, user=user, role=role)
    except IntegrityError:  # a concurrent request added them first
        return Membership.objects.get(cooperative=cooperative, user=user)
    Cooperative.objects.filter(pk=cooperative.pk).update(member_count=F("member_count") + 1)
    if announce:
        activity_record(cooperative=cooperative, actor=user, verb=Verb.MEMBER_JOINED)
    return membership
