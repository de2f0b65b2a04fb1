"""Every write on cooperatives and memberships goes through these functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.accounts.models import Invitation, User
from terrain.accounts.services import invitation_accept, invitation_create
from terrain.cooperatives.feed_items import MEMBER_JOINED
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership, search_text_for
from terrain.cooperatives.selectors import invitation_waiting_for
from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.feed.models import Notification
from terrain.feed.services import activity_record, notifications_create
from terrain.lib.images import clean_image, rendition_names


@transaction.atomic
def cooperative_create_open(
    *, name: str, by, description: str = "", join_policy: str = Cooperative.JoinPolicy.REQUEST, image=None
) -> Cooperative:
    """An open cooperative created by a member, who becomes its first facilitator."""
    cooperative = Cooperative.objects.create(
        kind=Cooperative.Kind.OPEN,
        name=name,
        description=description,
        search_text=search_text_for(name, description),
        join_policy=join_policy,
        created_by=by,
    )
    if image is not None:
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
        activity_record(cooperative=cooperative, actor=user, verb=MEMBER_JOINED)
    return membership


def invitation_accepted(invitation: Invitation, user) -> None:
    """An accepted invitation into a cooperative makes a member (see ``accounts.services.invitation_accept``)."""
    if invitation.cooperative_id:
        membership_add(cooperative=invitation.cooperative, user=user)


# --- Settings, joining, leaving, roles -------------------------------------------------


def _animateur_count(cooperative: Cooperative) -> int:
    return Membership.objects.filter(cooperative=cooperative, role=Membership.Role.ANIMATEUR).count()


def _holds_mandate(*, cooperative: Cooperative, user) -> bool:
    """Whether ``user`` holds a mandate in the structure that owns this (private) cooperative."""
    if cooperative.structure_id is None:
        return False
    from terrain.structures.models import Official

    return Official.objects.filter(structure_id=cooperative.structure_id, user=user).exists()


def _refuse_if_archived(cooperative: Cooperative) -> None:
    if cooperative.is_archived:
        raise ValidationError(
            _("This cooperative is archived: nobody can join it or be invited until it is reopened."),
            code="archived",
        )


def _membership_delete(membership: Membership) -> None:
    # Counted with the delete's own row count, so two concurrent removals of
    # the same membership decrement once.
    deleted, _details = Membership.objects.filter(pk=membership.pk).delete()
    if deleted:
        Cooperative.objects.filter(pk=membership.cooperative_id, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )


@transaction.atomic
@transaction.atomic
def cooperative_set_tools(*, cooperative: Cooperative, by, enabled: set[str] | frozenset[str]) -> Cooperative:
    """Turn on the tools ``enabled`` (keys of ``cooperatives.tools``) and every other tool off.

    Turning a tool off hides its tab, its feed items and its search results at once; nothing of
    its content is deleted, and it all comes back when the tool is turned on again.
    """
    from terrain.cooperatives.tools import stored_value, tools

    value = stored_value({t.key for t in tools()} - set(enabled))
    if value != cooperative.disabled_tools:
        cooperative.disabled_tools = value
        cooperative.save(update_fields=["disabled_tools", "updated_at"])
    return cooperative


def cooperative_update(
    *,
    cooperative: Cooperative,
    by,
    name: str,
    description: str = "",
    join_policy: str,
    image=None,
    remove_image: bool = False,
) -> Cooperative:
    """Change a cooperative's presentation and join policy.

    ``image`` (an upload) replaces the picture after being checked and
    re-encoded; ``remove_image`` drops it. A structure's private cooperative
    can never be open to everyone. Raises ValidationError keyed by field.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the cooperative a name.")}, code="required")
    if join_policy not in Cooperative.JoinPolicy.values:
        raise ValidationError({"join_policy": _("Choose who may join.")}, code="invalid")
    if cooperative.is_private and join_policy == Cooperative.JoinPolicy.OPEN:
        raise ValidationError(
            {
                "join_policy": _(
                    "The private cooperative of a structure cannot be open to everyone: "
                    "choose “on request” or “on invitation only”."
                )
            },
            code="private_open",
        )
    old_image = cooperative.image.name if cooperative.image and (image is not None or remove_image) else ""
    cooperative.name = name
    cooperative.description = (description or "").strip()
    cooperative.search_text = search_text_for(cooperative.name, cooperative.description)
    cooperative.join_policy = join_policy
    if image is not None:
        cleaned = clean_image(image, max_side=1200)
        cooperative.image.save(f"c.{cleaned.extension}", cleaned.content, save=False)
    elif remove_image:
        cooperative.image = ""
    cooperative.save(update_fields=["name", "description", "search_text", "join_policy", "image", "updated_at"])
    if old_image:
        storage = cooperative.image.storage
        # The old file goes only once the new row is committed, with its smaller copies.
        transaction.on_commit(lambda: [storage.delete(name) for name in (old_image, *rendition_names(old_image))])
    return cooperative


@transaction.atomic
def cooperative_join(*, cooperative: Cooperative, user) -> Membership:
    """Join a cooperative in one click (idempotent).

    Allowed when its policy lets anyone in, or when ``user`` holds a usable
    invitation to it (the invitation is then used up, as its e-mail link would).
    """
    _refuse_if_archived(cooperative)
    existing = Membership.objects.filter(cooperative=cooperative, user=user).first()
    if existing is not None:
        return existing
    if cooperative.kind == Cooperative.Kind.OPEN and cooperative.join_policy == Cooperative.JoinPolicy.OPEN:
        return membership_add(cooperative=cooperative, user=user)
    invitation = invitation_waiting_for(cooperative, user)
    if invitation is None:
        raise ValidationError(_("This cooperative cannot be joined in one click."), code="policy")
    invitation_accept(invitation=invitation, user=user)
    return Membership.objects.get(cooperative=cooperative, user=user)


@transaction.atomic
def join_request_create(*, cooperative: Cooperative, user, message: str = "") -> JoinRequest:
    """Ask to join a cooperative with policy "on request"; the facilitators are notified.

    Idempotent: a second request while one is pending returns the pending one.
    """
    if cooperative.kind != Cooperative.Kind.OPEN or cooperative.join_policy != Cooperative.JoinPolicy.REQUEST:
        raise ValidationError(_("This cooperative does not take requests to join."), code="policy")
    _refuse_if_archived(cooperative)
    if Membership.objects.filter(cooperative=cooperative, user=user).exists():
        raise ValidationError(_("You are already a member of this cooperative."), code="member")
    pending = JoinRequest.objects.filter(cooperative=cooperative, user=user, status=JoinRequest.Status.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                cooperative=cooperative, user=user, message=(message or "").strip()
            )
    except IntegrityError:  # a double click got there first
        return JoinRequest.objects.get(cooperative=cooperative, user=user, status=JoinRequest.Status.PENDING)
    animateurs = [
        m.user
        for m in Membership.objects.filter(cooperative=cooperative, role=Membership.Role.ANIMATEUR).select_related(
            "user"
        )
    ]
    notifications_create(
        users=animateurs,
        reason=Notification.Reason.JOIN_REQUEST,
        actor=user,
        cooperative=cooperative,
        join_request=join_request,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, by) -> JoinRequest:
    """The person who asked takes their pending request back."""
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.user_id != by.pk:
        raise ValidationError(_("Only the person who asked can withdraw this request."), code="not_yours")
    if locked.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="decided")
    locked.status = JoinRequest.Status.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by, approve: bool) -> JoinRequest:
    """A facilitator approves (the person becomes a member) or declines a pending request.

    The person is notified either way. A request already answered or
    withdrawn raises ValidationError.
    """
    locked = JoinRequest.objects.select_for_update().select_related("cooperative", "user").get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."), code="decided")
    if approve:
        _refuse_if_archived(locked.cooperative)
        membership_add(cooperative=locked.cooperative, user=locked.user)
    locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    notifications_create(
        users=[locked.user],
        reason=Notification.Reason.JOIN_APPROVED if approve else Notification.Reason.JOIN_REFUSED,
        actor=by,
        cooperative=locked.cooperative,
        join_request=locked,
    )
    return locked


@transaction.atomic
def cooperative_leave(*, cooperative: Cooperative, user) -> None:
    """Leave a cooperative. The last facilitator cannot leave: someone must keep it running."""
    membership = Membership.objects.select_for_update().filter(cooperative=cooperative, user=user).first()
    if membership is None:
        return
    if membership.is_animateur and _animateur_count(cooperative) <= 1:
        raise ValidationError(
            _(
                "You are the last facilitator of this cooperative. Make another member a facilitator "
                "first, or archive the cooperative."
            ),
            code="last_animateur",
        )
    _membership_delete(membership)


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """A facilitator (or an official of the structure) removes someone. Audited.

    Refused for oneself (that is leaving), for the last facilitator, and for
    someone who holds a mandate in the structure owning the cooperative (the
    mandate must be withdrawn first, or they would be an official outside
    their own structure).
    """
    cooperative = membership.cooperative
    if membership.user_id == by.pk:
        raise ValidationError(_("To leave the cooperative yourself, use “Leave”."), code="self")
    if membership.is_animateur and _animateur_count(cooperative) <= 1:
        raise ValidationError(_("This person is the last facilitator and cannot be removed."), code="last_animateur")
    if _holds_mandate(cooperative=cooperative, user=membership.user):
        raise ValidationError(
            _("This person holds a mandate in the structure: withdraw the mandate first."), code="official"
        )
    _membership_delete(membership)
    detail = {"user": membership.user.code}
    if cooperative.structure_id:
        detail["structure"] = cooperative.structure.code
    audit_record(actor=by, action=AuditEntry.Action.REMOVE_MEMBER, target=cooperative, detail=detail)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by) -> Membership:
    """Make a member a facilitator or a plain member. Audited; the person is notified.

    The last facilitator cannot become a plain member, nor can someone whose
    mandate in the structure makes them a facilitator.
    """
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role."), code="invalid")
    if membership.role == role:
        return membership
    cooperative = membership.cooperative
    if role == Membership.Role.MEMBER:
        if _animateur_count(cooperative) <= 1:
            raise ValidationError(
                _("The cooperative needs at least one facilitator: make someone else a facilitator first."),
                code="last_animateur",
            )
        if _holds_mandate(cooperative=cooperative, user=membership.user):
            raise ValidationError(
                _("This person holds a mandate in the structure and stays a facilitator."), code="official"
            )
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE_ROLE,
        target=cooperative,
        detail={"user": membership.user.code, "role": role},
    )
    notifications_create(
        users=[membership.user], reason=Notification.Reason.ROLE_CHANGED, actor=by, cooperative=cooperative
    )
    return membership


@transaction.atomic
def cooperative_archive(*, cooperative: Cooperative, by, archived: bool) -> Cooperative:
    """Archive (read-only, hidden from discovery) or reopen a cooperative. Idempotent.

    A structure's private cooperative is never archived: it is the structure's own space.
    """
    if archived and cooperative.is_private:
        raise ValidationError(_("The private cooperative of a structure cannot be archived."), code="private")
    if archived and cooperative.archived_at is None:
        cooperative.archived_at = timezone.now()
    elif not archived:
        cooperative.archived_at = None
    cooperative.save(update_fields=["archived_at", "updated_at"])
    return cooperative


@transaction.atomic
def cooperative_invite(*, cooperative: Cooperative, email: str, by, message: str = "") -> Invitation:
    """Invite someone by e-mail (the mail leaves on commit). Audited.

    Someone who already has an account is also told in the app. A person
    who is already a member raises ValidationError.
    """
    _refuse_if_archived(cooperative)
    email = (email or "").strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and Membership.objects.filter(cooperative=cooperative, user=existing).exists():
        raise ValidationError({"email": _("This person is already a member.")}, code="member")
    invitation = invitation_create(email=email, by=by, cooperative=cooperative, message=(message or "").strip())
    if existing is not None:
        # Led to their invitations, where they accept or decline (a private cooperative has no page for them yet).
        notifications_create(
            users=[existing],
            reason=Notification.Reason.INVITED,
            actor=by,
            cooperative=cooperative,
            target_url=reverse("accounts:invitations"),
        )
    audit_record(actor=by, action=AuditEntry.Action.INVITE, target=cooperative, detail={"invitation": invitation.code})
    return invitation
