"""The invitations waiting for me: accepted or declined in the app, never answered by someone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.accounts.models import Invitation
from terrain.accounts.services import invitation_create
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.structures.access import structure_access
from terrain.structures.models import Official
from terrain.structures.services import structure_member_add_by_email

pytestmark = pytest.mark.django_db


def respond(invitation: Invitation) -> str:
    return reverse("accounts:invitation_respond", args=[invitation.code])


@pytest.mark.outsider("accounts:invitations")
def test_my_invitations_lists_only_mine(world, client, charlie, charlie_client, bob_client):
    assert_login_required(client.get(reverse("accounts:invitations")))
    structure_member_add_by_email(structure=world.section, email=charlie.email, by=world.alice)
    page = charlie_client.get(reverse("accounts:invitations"))
    assert page.status_code == 200 and world.section.cooperative.name in page.content.decode()
    assert world.section.cooperative.name not in bob_client.get(reverse("accounts:invitations")).content.decode()


@pytest.mark.outsider("accounts:invitation_respond")
def test_only_the_invited_person_can_answer(world, client, charlie, bob_client):
    invitation = structure_member_add_by_email(structure=world.section, email=charlie.email, by=world.alice)
    assert_login_required(client.post(respond(invitation), {"answer": "accept"}))
    assert_refused(bob_client.post(respond(invitation), {"answer": "accept"}))
    assert_refused(bob_client.post(respond(invitation), {"answer": "decline"}))
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_accepting_in_the_app_joins_and_gives_the_mandate(world, charlie, charlie_client):
    invitation = invitation_create(
        email=charlie.email, by=world.alice, cooperative=world.section.cooperative, mandate="tresorier"
    )
    response = charlie_client.post(respond(invitation), {"answer": "accept"})
    assert response.status_code == 302
    assert structure_access(user=charlie, structure=world.section).is_member
    assert Official.objects.filter(structure=world.section, user=charlie, role="tresorier").exists()
    # Used up: a second answer finds nothing.
    assert charlie_client.post(respond(invitation), {"answer": "accept"}).status_code == 404


def test_declining_in_the_app_leaves_the_person_out(world, charlie, charlie_client):
    invitation = structure_member_add_by_email(structure=world.section, email=charlie.email, by=world.alice)
    response = charlie_client.post(respond(invitation), {"answer": "decline"})
    assert response["Location"] == reverse("accounts:invitations")
    assert not structure_access(user=charlie, structure=world.section).can_see
    invitation.refresh_from_db()
    assert not invitation.is_usable
    assert world.section.cooperative.name not in charlie_client.get(reverse("accounts:invitations")).content.decode()
