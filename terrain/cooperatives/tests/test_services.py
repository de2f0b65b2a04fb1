"""The cooperative services: joining under each policy, requests, leaving, roles, archiving, invitations."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from terrain.accounts.models import Invitation
from terrain.cooperatives.access import cooperative_access
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.cooperatives.services import (
    cooperative_archive,
    cooperative_create_open,
    cooperative_invite,
    cooperative_join,
    cooperative_leave,
    cooperative_update,
    join_request_create,
    join_request_decide,
    join_request_withdraw,
    membership_add,
    membership_remove,
    membership_set_role,
)
from terrain.core.models import AuditEntry
from terrain.feed.models import Notification
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db


def _coop(world, policy: str) -> Cooperative:
    return cooperative_create_open(name=f"Coop {policy}", by=world.alice, join_policy=policy)


def _count(cooperative: Cooperative) -> int:
    cooperative.refresh_from_db(fields=["member_count"])
    return cooperative.member_count


def test_join_is_one_click_only_when_the_policy_is_open(world):
    open_ = _coop(world, Cooperative.JoinPolicy.OPEN)
    cooperative_join(cooperative=open_, user=world.charlie)
    cooperative_join(cooperative=open_, user=world.charlie)  # idempotent
    assert Membership.objects.filter(cooperative=open_, user=world.charlie).count() == 1
    assert _count(open_) == 2

    for policy in (Cooperative.JoinPolicy.REQUEST, Cooperative.JoinPolicy.INVITATION):
        coop = _coop(world, policy)
        with pytest.raises(ValidationError):
            cooperative_join(cooperative=coop, user=world.charlie)
        assert not Membership.objects.filter(cooperative=coop, user=world.charlie).exists()


def test_a_private_cooperative_is_never_joined_nor_requested(world):
    with pytest.raises(ValidationError):
        cooperative_join(cooperative=world.private_coop, user=world.charlie)
    with pytest.raises(ValidationError):
        join_request_create(cooperative=world.private_coop, user=world.charlie)


def test_request_notifies_the_facilitators_and_approval_makes_a_member(world):
    coop = world.open_coop  # on request, alice facilitator
    dana = make_user("Dana")
    membership_set_role(
        membership=Membership.objects.get(cooperative=coop, user=world.bob), role="animateur", by=world.alice
    )
    Notification.objects.all().delete()

    jr = join_request_create(cooperative=coop, user=dana, message="  Bonjour  ")
    assert jr.message == "Bonjour"
    assert join_request_create(cooperative=coop, user=dana) == jr  # a double click sends one request
    notified = set(Notification.objects.filter(reason=Notification.Reason.JOIN_REQUEST).values_list("user", flat=True))
    assert notified == {world.alice.pk, world.bob.pk}

    before = _count(coop)
    join_request_decide(join_request=jr, by=world.alice, approve=True)
    jr.refresh_from_db()
    assert jr.status == JoinRequest.Status.APPROVED and jr.decided_by == world.alice
    assert Membership.objects.filter(cooperative=coop, user=dana).exists()
    assert _count(coop) == before + 1
    assert Notification.objects.filter(user=dana, reason=Notification.Reason.JOIN_APPROVED, cooperative=coop).exists()
    with pytest.raises(ValidationError):
        join_request_decide(join_request=jr, by=world.alice, approve=False)


def test_refusal_notifies_and_adds_nobody(world):
    jr = join_request_create(cooperative=world.open_coop, user=world.charlie)
    join_request_decide(join_request=jr, by=world.alice, approve=False)
    jr.refresh_from_db()
    assert jr.status == JoinRequest.Status.REFUSED
    assert not Membership.objects.filter(cooperative=world.open_coop, user=world.charlie).exists()
    assert Notification.objects.filter(user=world.charlie, reason=Notification.Reason.JOIN_REFUSED).exists()
    # Declined once, one may ask again later.
    assert join_request_create(cooperative=world.open_coop, user=world.charlie).status == JoinRequest.Status.PENDING


def test_withdraw_only_by_the_requester_and_only_while_pending(world):
    jr = join_request_create(cooperative=world.open_coop, user=world.charlie)
    with pytest.raises(ValidationError):
        join_request_withdraw(join_request=jr, by=world.bob)
    join_request_withdraw(join_request=jr, by=world.charlie)
    jr.refresh_from_db()
    assert jr.status == JoinRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        join_request_withdraw(join_request=jr, by=world.charlie)
    with pytest.raises(ValidationError):
        join_request_decide(join_request=jr, by=world.alice, approve=True)


def test_a_member_cannot_request_again(world):
    with pytest.raises(ValidationError):
        join_request_create(cooperative=world.open_coop, user=world.bob)


def test_leave_updates_the_count_and_the_last_facilitator_stays(world):
    coop = world.open_coop
    before = _count(coop)
    cooperative_leave(cooperative=coop, user=world.bob)
    assert not Membership.objects.filter(cooperative=coop, user=world.bob).exists()
    assert _count(coop) == before - 1
    with pytest.raises(ValidationError) as error:
        cooperative_leave(cooperative=coop, user=world.alice)
    assert error.value.code == "last_animateur"
    assert Membership.objects.filter(cooperative=coop, user=world.alice).exists()


def test_a_member_of_a_structure_may_leave_its_private_cooperative(world):
    cooperative_leave(cooperative=world.private_coop, user=world.bob)
    assert not cooperative_access(user=world.bob, cooperative=world.private_coop).can_see


def test_remove_member_updates_the_count_and_is_audited(world):
    coop = world.open_coop
    before = _count(coop)
    membership = Membership.objects.get(cooperative=coop, user=world.bob)
    membership_remove(membership=membership, by=world.alice)
    assert _count(coop) == before - 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REMOVE_MEMBER)
    assert (entry.actor, entry.target_code, entry.detail["user"]) == (world.alice, coop.code, world.bob.code)


def test_remove_refuses_oneself_the_last_facilitator_and_officials(world):
    alice_here = Membership.objects.get(cooperative=world.open_coop, user=world.alice)
    with pytest.raises(ValidationError):
        membership_remove(membership=alice_here, by=world.alice)
    with pytest.raises(ValidationError):
        membership_remove(membership=alice_here, by=world.bob)
    # Alice holds a mandate in the section: she cannot be removed from its cooperative.
    dana = make_user("Dana")
    membership_add(cooperative=world.private_coop, user=dana, role=Membership.Role.ANIMATEUR)
    alice_private = Membership.objects.get(cooperative=world.private_coop, user=world.alice)
    with pytest.raises(ValidationError) as error:
        membership_remove(membership=alice_private, by=dana)
    assert error.value.code == "official"


def test_roles_are_audited_notified_and_keep_one_facilitator(world):
    bob_here = Membership.objects.get(cooperative=world.open_coop, user=world.bob)
    membership_set_role(membership=bob_here, role=Membership.Role.ANIMATEUR, by=world.alice)
    assert Membership.objects.get(pk=bob_here.pk).role == Membership.Role.ANIMATEUR
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_ROLE, target_code=world.open_coop.code).exists()
    assert Notification.objects.filter(user=world.bob, reason=Notification.Reason.ROLE_CHANGED).exists()

    alice_here = Membership.objects.get(cooperative=world.open_coop, user=world.alice)
    membership_set_role(membership=alice_here, role=Membership.Role.MEMBER, by=world.alice)
    bob_here.refresh_from_db()
    with pytest.raises(ValidationError):
        membership_set_role(membership=bob_here, role=Membership.Role.MEMBER, by=world.bob)
    with pytest.raises(ValidationError):
        membership_set_role(membership=bob_here, role="king", by=world.bob)


def test_archived_cooperative_is_read_only(world):
    coop = world.open_coop
    cooperative_archive(cooperative=coop, by=world.alice, archived=True)
    bob_access = cooperative_access(user=world.bob, cooperative=coop)
    assert bob_access.can_read and not bob_access.can_post
    with pytest.raises(ValidationError):
        join_request_create(cooperative=coop, user=world.charlie)
    with pytest.raises(ValidationError):
        cooperative_invite(cooperative=coop, email="new@example.org", by=world.alice)
    cooperative_archive(cooperative=coop, by=world.alice, archived=False)
    assert cooperative_access(user=world.bob, cooperative=coop).can_post


def test_a_private_cooperative_is_never_archived(world):
    with pytest.raises(ValidationError):
        cooperative_archive(cooperative=world.private_coop, by=world.alice, archived=True)


def test_invite_sends_the_mail_on_commit_and_tells_existing_accounts(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = cooperative_invite(
            cooperative=world.open_coop, email="Charlie@Example.org", by=world.alice, message="Viens !"
        )
    assert invitation.cooperative == world.open_coop and invitation.email == "charlie@example.org"
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    assert "Viens !" in mail.outbox[0].body
    assert Notification.objects.filter(user=world.charlie, reason=Notification.Reason.INVITED).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INVITE, target_code=world.open_coop.code).exists()


def test_invite_of_a_stranger_sends_mail_only_and_members_are_refused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_invite(cooperative=world.open_coop, email="nouvelle@example.org", by=world.alice)
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(reason=Notification.Reason.INVITED).exists()
    with pytest.raises(ValidationError):
        cooperative_invite(cooperative=world.open_coop, email="bob@example.org", by=world.alice)
    assert Invitation.objects.filter(email="bob@example.org").count() == 0


def test_update_keeps_a_private_cooperative_closed_and_replaces_the_image(world):
    with pytest.raises(ValidationError) as error:
        cooperative_update(
            cooperative=world.private_coop, by=world.alice, name="Section", join_policy=Cooperative.JoinPolicy.OPEN
        )
    assert "join_policy" in error.value.error_dict

    coop = world.open_coop
    cooperative_update(
        cooperative=coop,
        by=world.alice,
        name="  Égalité  ",
        description="Texte",
        join_policy=Cooperative.JoinPolicy.OPEN,
        image=make_image_file(size=(2000, 1000)),
    )
    coop.refresh_from_db()
    assert coop.name == "Égalité" and coop.join_policy == Cooperative.JoinPolicy.OPEN
    assert coop.image and coop.image.width == 1200  # re-encoded, bounded
    cooperative_update(cooperative=coop, by=world.alice, name="Égalité", join_policy="open", remove_image=True)
    coop.refresh_from_db()
    assert not coop.image
