"""What accepting an invitation does is registered by the apps above accounts, in any order."""

from __future__ import annotations

import pytest

from terrain.accounts import services as account_services
from terrain.accounts.services import invitation_accept, invitation_create
from terrain.cooperatives.models import Membership
from terrain.structures.models import Official, OfficialRole

pytestmark = pytest.mark.django_db


def test_both_apps_registered_their_step():
    modules = {step.__module__ for step in account_services._ACCEPTANCE_STEPS}
    assert modules == {"terrain.cooperatives.services", "terrain.structures.services"}


@pytest.mark.parametrize("reverse_order", [False, True])
def test_a_mandate_invitation_gives_membership_and_mandate_whatever_the_order(
    world, charlie, monkeypatch, reverse_order
):
    if reverse_order:
        monkeypatch.setattr(account_services, "_ACCEPTANCE_STEPS", account_services._ACCEPTANCE_STEPS[::-1])
    invitation = invitation_create(
        email=charlie.email, by=world.alice, cooperative=world.private_coop, mandate=OfficialRole.TRESORIER
    )
    invitation_accept(invitation=invitation, user=charlie)
    membership = Membership.objects.get(cooperative=world.private_coop, user=charlie)
    assert membership.role == Membership.Role.ANIMATEUR
    assert Official.objects.filter(structure=world.section, user=charlie, role=OfficialRole.TRESORIER).exists()


def test_a_plain_invitation_makes_a_member_only(world, charlie):
    invitation = invitation_create(email=charlie.email, by=world.alice, cooperative=world.open_coop)
    invitation_accept(invitation=invitation, user=charlie)
    assert Membership.objects.get(cooperative=world.open_coop, user=charlie).role == Membership.Role.MEMBER
    assert not Official.objects.filter(user=charlie).exists()
