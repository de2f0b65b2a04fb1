"""The structure services: editing, sub-structures, members and mandates."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from terrain.accounts.models import Invitation
from terrain.accounts.services import invitation_accept, invitation_decline
from terrain.cooperatives.models import Membership
from terrain.cooperatives.services import membership_add
from terrain.core.models import AuditEntry
from terrain.feed.models import Notification
from terrain.structures.access import structure_access
from terrain.structures.models import ALLOWED_PARENTS, Official, OfficialRole, StructureKind
from terrain.structures.services import (
    official_add,
    official_appoint_member,
    official_remove,
    structure_create,
    structure_create_child,
    structure_member_add_by_email,
    structure_member_remove,
    structure_update,
)
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", StructureKind.values)
def test_kinds_allowed_per_parent(world, kind):
    for parent in (world.ud, world.syndicat, world.section):
        if parent.kind in ALLOWED_PARENTS[kind]:
            child = structure_create(kind=kind, name=f"{kind} sous {parent.kind}", parent=parent)
            assert child.path.startswith(parent.path) and child.depth == parent.depth + 1
        else:
            with pytest.raises(ValidationError):
                structure_create(kind=kind, name="Impossible", parent=parent)


def test_update_renames_the_cooperative_too_unless_it_has_its_own_name(world):
    structure_update(structure=world.section, by=world.alice, name="Section Nord", departement="69", commune="Bron")
    world.section.cooperative.refresh_from_db()
    assert world.section.cooperative.name == "Section Nord"
    world.section.cooperative.name = "Notre espace"
    world.section.cooperative.save()
    structure_update(structure=world.section, by=world.alice, name="Section Hôpital Nord")
    world.section.cooperative.refresh_from_db()
    assert world.section.cooperative.name == "Notre espace"
    with pytest.raises(ValidationError):
        structure_update(structure=world.section, by=world.alice, name="  ")


def test_create_child_invites_an_existing_account_who_takes_the_mandate_on_accepting(
    world, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = structure_create_child(
            parent=world.ud,
            by=world.alice,
            kind=StructureKind.UNION_LOCALE,
            name="Union locale de Villeurbanne",
            official_email="CHARLIE@example.org",
            official_role=OfficialRole.COMMUNICATION,
        )
    child = created.structure
    assert child.parent == world.ud and created.invitation.mandate == OfficialRole.COMMUNICATION
    # Nothing happens to the person before they say yes.
    assert not Membership.objects.filter(cooperative=child.cooperative, user=charlie).exists()
    assert not Official.objects.filter(structure=child).exists()
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    assert Notification.objects.filter(user=charlie, reason=Notification.Reason.INVITED).exists()

    invitation_accept(invitation=created.invitation, user=charlie)
    assert Membership.objects.get(cooperative=child.cooperative, user=charlie).role == Membership.Role.ANIMATEUR
    assert Official.objects.filter(structure=child, user=charlie, role=OfficialRole.COMMUNICATION).exists()
    # The creator manages it from above, without a mandate of their own there.
    assert not Official.objects.filter(structure=child, user=world.alice).exists()


def test_create_child_invites_a_stranger_the_same_way(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = structure_create_child(
            parent=world.syndicat,
            by=world.alice,
            kind=StructureKind.SECTION,
            name="Section Est",
            official_email="nouvelle@example.org",
        )
    assert created.invitation.cooperative == created.structure.cooperative
    assert created.invitation.mandate == OfficialRole.SECRETAIRE
    assert [m.to for m in mail.outbox] == [["nouvelle@example.org"]]


def test_member_add_by_email_only_invites_and_audits(world, charlie, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = structure_member_add_by_email(structure=world.section, email="charlie@example.org", by=world.alice)
    assert isinstance(invitation, Invitation) and invitation.cooperative == world.private_coop
    # An existing account is not attached by someone else: it is invited, by e-mail and in the app.
    assert not structure_access(user=charlie, structure=world.section).can_see
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    notification = Notification.objects.get(user=charlie, reason=Notification.Reason.INVITED)
    assert notification.target_url == reverse("accounts:invitations")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INVITE, target_code=world.section.code).exists()

    invitation_accept(invitation=invitation, user=charlie)
    assert structure_access(user=charlie, structure=world.section).is_member
    with pytest.raises(ValidationError):
        structure_member_add_by_email(structure=world.section, email="charlie@example.org", by=world.alice)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = structure_member_add_by_email(structure=world.section, email="x@example.org", by=world.alice)
    assert isinstance(invitation, Invitation) and invitation.cooperative == world.private_coop
    assert len(mail.outbox) == 2


def test_a_declined_invitation_leaves_the_person_out(world, charlie):
    invitation = structure_member_add_by_email(structure=world.section, email="charlie@example.org", by=world.alice)
    invitation_decline(invitation=invitation, user=charlie)
    assert not structure_access(user=charlie, structure=world.section).can_see
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=charlie)
    with pytest.raises(ValidationError):
        invitation_decline(invitation=invitation, user=world.bob)


def test_member_remove_takes_them_out_of_the_cooperative(world, bob):
    before = world.private_coop.member_count
    structure_member_remove(structure=world.section, user=bob, by=world.alice)
    assert not structure_access(user=bob, structure=world.section).can_see
    world.private_coop.refresh_from_db()
    assert world.private_coop.member_count == before - 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REMOVE_MEMBER).count() == 1
    with pytest.raises(ValidationError):
        structure_member_remove(structure=world.section, user=bob, by=world.alice)


def test_member_remove_refuses_an_official(world, alice):
    ud_official = make_user("Odile")
    official_add(structure=world.ud, user=ud_official, role=OfficialRole.SECRETAIRE)
    membership_add(cooperative=world.private_coop, user=make_user("Dana"), role=Membership.Role.ANIMATEUR)
    with pytest.raises(ValidationError) as error:
        structure_member_remove(structure=world.section, user=alice, by=ud_official)
    assert error.value.code == "official"
    assert structure_access(user=alice, structure=world.section).is_member


def test_appoint_only_members_and_notify(world, bob, charlie):
    official = official_appoint_member(
        structure=world.section, email="bob@example.org", role="tresorier", by=world.alice
    )
    assert official.user == bob
    assert Membership.objects.get(cooperative=world.private_coop, user=bob).role == Membership.Role.ANIMATEUR
    assert Notification.objects.filter(user=bob, reason=Notification.Reason.ROLE_CHANGED).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_ROLE, target_code=world.section.code).exists()
    with pytest.raises(ValidationError):
        official_appoint_member(structure=world.section, email="bob@example.org", role="tresorier", by=world.alice)
    with pytest.raises(ValidationError) as error:
        official_appoint_member(structure=world.section, email="charlie@example.org", role="tresorier", by=world.alice)
    assert "email" in error.value.error_dict


def test_remove_official_demotes_and_refuses_the_last_one_removing_themself(world, alice, bob):
    alice_mandate = Official.objects.get(structure=world.section, user=alice)
    with pytest.raises(ValidationError) as error:
        official_remove(official=alice_mandate, by=alice)
    assert error.value.code == "last_official"

    bob_mandate = official_appoint_member(structure=world.section, email="bob@example.org", role="tresorier", by=alice)
    official_remove(official=alice_mandate, by=alice)  # now allowed: Bob holds a mandate
    assert not Official.objects.filter(structure=world.section, user=alice).exists()
    assert Membership.objects.get(cooperative=world.private_coop, user=alice).role == Membership.Role.MEMBER

    # An official withdrawing someone else's last mandate: Bob stays facilitator if he is the last one.
    official_remove(official=bob_mandate, by=alice)
    assert Membership.objects.get(cooperative=world.private_coop, user=bob).role == Membership.Role.ANIMATEUR
