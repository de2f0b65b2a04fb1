"""Every write on structures and mandates goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from terrain.accounts.models import Invitation, User
from terrain.accounts.services import invitation_create
from terrain.cooperatives.models import Cooperative, Membership, search_text_for
from terrain.cooperatives.services import membership_add, membership_remove
from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create
from terrain.structures.models import ALLOWED_PARENTS, Official, OfficialRole, Structure


@transaction.atomic
def structure_create(
    *,
    kind: str,
    name: str,
    parent: Structure | None = None,
    departement: str = "",
    commune: str = "",
    description: str = "",
) -> Structure:
    """Create a structure and its private cooperative (whose members are the structure's members)."""
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationError(_("This type of structure cannot be placed there."), code="bad_parent")
    structure = Structure.objects.create(
        kind=kind,
        name=name,
        parent=parent,
        departement=departement,
        commune=commune,
        description=description,
        depth=(parent.depth + 1) if parent else 0,
        path="",
    )
    structure.path = f"{parent.path if parent else ''}{structure.pk}/"
    structure.save(update_fields=["path"])
    Cooperative.objects.create(
        kind=Cooperative.Kind.PRIVATE,
        structure=structure,
        name=name,
        description=description,
        search_text=search_text_for(name, description),
        join_policy=Cooperative.JoinPolicy.INVITATION,
    )
    return structure


@transaction.atomic
def structure_member_add(*, structure: Structure, user) -> Membership:
    return membership_add(cooperative=structure.cooperative, user=user)


@transaction.atomic
def official_add(*, structure: Structure, user, role: str) -> Official:
    """Give a mandate; an official is a facilitator of the structure's cooperative."""
    official, _created = Official.objects.get_or_create(structure=structure, user=user, role=role)
    membership_add(cooperative=structure.cooperative, user=user, role=Membership.Role.ANIMATEUR)
    return official


def invitation_accepted(invitation: Invitation, user) -> None:
    """An accepted invitation with a mandate gives it (see ``accounts.services.invitation_accept``)."""
    if invitation.mandate and invitation.cooperative_id and invitation.cooperative.structure_id:
        official_add(structure=invitation.cooperative.structure, user=user, role=invitation.mandate)


# --- Editing, members and mandates from the structure pages ---------------------------


@dataclass(frozen=True)
class ChildCreated:
    """What ``structure_create_child`` did: the structure, and the invitation sent to its first official."""

    structure: Structure
    invitation: Invitation | None = None


def _invite(*, structure: Structure, email: str, by, mandate: str = "") -> Invitation:
    """Invite ``email`` into the structure (and to ``mandate``), whether or not it has an account. Audited.

    Union membership is special-category data: an account is never attached
    by someone else. The person accepts from the e-mail's link, or in the app
    (a notification leads to their invitations). What the inviter learns is
    the same either way.
    """
    invitation = invitation_create(email=email, by=by, cooperative=structure.cooperative, mandate=mandate)
    existing = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if existing is not None:
        notifications_create(
            users=[existing],
            reason=Notification.Reason.INVITED,
            actor=by,
            cooperative=structure.cooperative,
            target_url=reverse("accounts:invitations"),
        )
    detail = {"invitation": invitation.code}
    if mandate:
        detail["mandate"] = mandate
    audit_record(actor=by, action=AuditEntry.Action.INVITE, target=structure, detail=detail)
    return invitation


@transaction.atomic
def structure_update(
    *, structure: Structure, by, name: str, departement: str = "", commune: str = "", description: str = ""
) -> Structure:
    """Change a structure's name, territory and description (never its type or place in the tree).

    Its private cooperative follows a rename, unless its facilitators gave it a name of its own.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the structure a name.")}, code="required")
    old_name = structure.name
    structure.name = name
    structure.departement = (departement or "").strip().upper()
    structure.commune = (commune or "").strip()
    structure.description = (description or "").strip()
    structure.save(update_fields=["name", "departement", "commune", "description", "updated_at"])
    if name != old_name:
        cooperative = Cooperative.objects.filter(structure=structure, name=old_name).first()
        if cooperative is not None:
            cooperative.name = name
            cooperative.search_text = search_text_for(name, cooperative.description)
            cooperative.save(update_fields=["name", "search_text"])
    return structure


@transaction.atomic
def structure_create_child(
    *,
    parent: Structure,
    by,
    kind: str,
    name: str,
    departement: str = "",
    commune: str = "",
    description: str = "",
    official_email: str = "",
    official_role: str = OfficialRole.SECRETAIRE,
) -> ChildCreated:
    """Create a sub-structure, optionally inviting its first official by e-mail.

    The creator does not become an official of it (they manage it from
    above already). The person named is invited, with or without an account:
    they become a member and take the mandate once they accept.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the structure a name.")}, code="required")
    if official_email and official_role not in OfficialRole.values:
        raise ValidationError({"official_role": _("Choose a role.")}, code="invalid")
    child = structure_create(
        kind=kind,
        name=name,
        parent=parent,
        departement=(departement or "").strip().upper(),
        commune=(commune or "").strip(),
        description=(description or "").strip(),
    )
    if not official_email:
        return ChildCreated(child)
    invitation = _invite(structure=child, email=official_email, by=by, mandate=official_role)
    return ChildCreated(child, invitation=invitation)


@transaction.atomic
def structure_member_add_by_email(*, structure: Structure, email: str, by) -> Invitation:
    """Invite the person using this e-mail address into the structure. Audited.

    They join once they accept; until then nothing of them is shown. Someone
    already a member (and so already on the list the official reads) raises
    ValidationError.
    """
    email = (email or "").strip().lower()
    if Membership.objects.filter(cooperative=structure.cooperative, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the structure.")}, code="member")
    return _invite(structure=structure, email=email, by=by)


@transaction.atomic
def structure_member_remove(*, structure: Structure, user, by) -> None:
    """Take someone out of the structure, that is out of its private cooperative. Audited.

    Refused for oneself, for the last facilitator, and for someone holding a
    mandate here (withdraw the mandate first).
    """
    membership = (
        Membership.objects.select_related("user", "cooperative__structure")
        .filter(cooperative__structure=structure, user=user)
        .first()
    )
    if membership is None:
        raise ValidationError(_("This person is not a member of the structure."), code="not_member")
    membership_remove(membership=membership, by=by)


@transaction.atomic
def official_appoint(*, structure: Structure, user, role: str, by) -> Official:
    """Give ``user`` a mandate in ``structure`` (they become a facilitator of its cooperative). Audited.

    The person is notified. Holding the same role twice raises ValidationError.
    """
    if role not in OfficialRole.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid")
    if Official.objects.filter(structure=structure, user=user, role=role).exists():
        raise ValidationError(_("This person already holds this mandate."), code="duplicate")
    official = official_add(structure=structure, user=user, role=role)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE_ROLE,
        target=structure,
        detail={"user": user.code, "mandate": role, "change": "added"},
    )
    notifications_create(
        users=[user], reason=Notification.Reason.ROLE_CHANGED, actor=by, cooperative=structure.cooperative
    )
    return official


@transaction.atomic
def official_appoint_member(*, structure: Structure, email: str, role: str, by) -> Official:
    """Give a mandate to the member of ``structure`` who uses this e-mail address.

    Only members can be appointed: someone else must be added first.
    """
    person = (
        Membership.objects.select_related("user")
        .filter(cooperative__structure=structure, user__email__iexact=(email or "").strip())
        .first()
    )
    if person is None:
        raise ValidationError(
            {
                "email": _(
                    "No member of this structure uses this address. Add the person as a member first, "
                    "then give them the mandate."
                )
            },
            code="not_member",
        )
    return official_appoint(structure=structure, user=person.user, role=role, by=by)


@transaction.atomic
def official_remove(*, official: Official, by) -> None:
    """Withdraw a mandate. Audited; the person is notified.

    An official cannot withdraw their own mandate when nobody else holds
    one in the structure. Once someone holds no mandate here any more, the
    facilitator role it gave them in the structure's cooperative goes too,
    unless they are its last facilitator.
    """
    structure = official.structure
    user = official.user
    if user.pk == by.pk and not Official.objects.filter(structure=structure).exclude(user=user).exists():
        raise ValidationError(
            _(
                "You are the last official of this structure: give a mandate to someone else before "
                "withdrawing your own."
            ),
            code="last_official",
        )
    Official.objects.filter(pk=official.pk).delete()
    if not Official.objects.filter(structure=structure, user=user).exists():
        animateurs = Membership.objects.filter(cooperative__structure=structure, role=Membership.Role.ANIMATEUR)
        if animateurs.exclude(user=user).exists():
            animateurs.filter(user=user).update(role=Membership.Role.MEMBER)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CHANGE_ROLE,
        target=structure,
        detail={"user": user.code, "mandate": official.role, "change": "removed"},
    )
    notifications_create(
        users=[user], reason=Notification.Reason.ROLE_CHANGED, actor=by, cooperative=structure.cooperative
    )
