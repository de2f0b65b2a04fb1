"""A structure's member list (officials only, every look audited), adding and removing members."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.accounts.models import Invitation
from terrain.cooperatives.models import Membership
from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.structures.models import Structure
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def url(name: str, structure: Structure, *args) -> str:
    return reverse(f"structures:{name}", args=[structure.code, *args])


@pytest.mark.outsider("structures:members")
def test_members_refuses_outsiders_and_plain_members(world, client, charlie_client, bob_client):
    assert_login_required(client.get(url("members", world.section)))
    assert_refused(charlie_client.get(url("members", world.section)))
    assert bob_client.get(url("members", world.section)).status_code == 403
    assert not AuditEntry.objects.exists()


def test_every_look_at_the_list_is_audited(world, alice, alice_client):
    page = alice_client.get(url("members", world.section))
    assert page.status_code == 200
    rows = {m.user: m.mandates for m in page.context["page"].object_list}
    assert rows == {alice: ["Secrétaire"], world.bob: []}
    alice_client.get(url("members", world.section), {"q": "bob"})
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_MEMBERS, actor=alice).order_by("id")
    assert [(e.target_type, e.target_code) for e in entries] == [("structure", world.section.code)] * 2
    assert entries.last().detail["q"] == "bob"


def test_members_search_ignores_accents_and_case(world, alice_client):
    helene = make_user("Hélène Dupont")
    structure_member_add(structure=world.section, user=helene)
    page = alice_client.get(url("members", world.section), {"q": "HELENE"})
    assert [m.user for m in page.context["page"].object_list] == [helene]
    assert "Hélène Dupont" in page.content.decode()
    assert list(alice_client.get(url("members", world.section), {"q": "hélèna"}).context["page"]) == []


def test_members_queries_do_not_grow(world, alice_client, django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(url("members", world.section)).status_code == 200
        return len(ctx)

    baseline = count()
    for n in range(12):
        structure_member_add(structure=world.section, user=make_user(f"Membre {n}"))
    assert count() == baseline
    with django_assert_max_num_queries(14):
        alice_client.get(url("members", world.section))


@pytest.mark.outsider("structures:member_add")
def test_member_add_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    data = {"email": "charlie@example.org"}
    assert_login_required(client.post(url("member_add", world.section), data))
    assert_refused(charlie_client.post(url("member_add", world.section), data))
    assert bob_client.post(url("member_add", world.section), data).status_code == 403
    assert not Membership.objects.filter(user=world.charlie).exists()


def test_member_add_answers_the_same_with_or_without_an_account(
    world, alice_client, charlie, django_capture_on_commit_callbacks
):
    answers = []
    for email in ("Charlie@Example.org", "inconnue@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_client.post(url("member_add", world.section), {"email": email}, follow=True)
        page = response.content.decode()
        page_without_tokens = re.sub(r'(value=|CSRFToken": )"[A-Za-z0-9]{64}"', "TOKEN", page)
        answers.append(page_without_tokens.replace(email.lower(), "ADDRESS"))
        assert "invitation" in page
    # Whether the address has an account shows nowhere: not in the words, not in the list.
    assert answers[0] == answers[1]
    assert charlie.display_name not in answers[0]
    assert not Membership.objects.filter(cooperative=world.private_coop, user=charlie).exists()
    assert [m.to for m in mail.outbox] == [["charlie@example.org"], ["inconnue@example.org"]]
    assert Invitation.objects.get(email="inconnue@example.org").cooperative == world.private_coop

    response = alice_client.post(url("member_add", world.section), {"email": "bob@example.org"})
    assert (
        response.status_code == 200 and "Cette personne est déjà membre de la structure." in response.content.decode()
    )


@pytest.mark.outsider("structures:member_remove")
def test_member_remove_refuses_outsiders_and_members(world, client, charlie_client, bob_client, alice):
    assert_login_required(client.post(url("member_remove", world.section, world.bob.code)))
    assert_refused(charlie_client.post(url("member_remove", world.section, world.bob.code)))
    assert bob_client.post(url("member_remove", world.section, alice.code)).status_code == 403
    assert Membership.objects.filter(cooperative=world.private_coop).count() == 2


def test_member_remove_updates_count_and_audits(world, alice_client, bob, charlie):
    response = alice_client.post(url("member_remove", world.section, bob.code))
    assert response["Location"] == url("members", world.section)
    assert not Membership.objects.filter(cooperative=world.private_coop, user=bob).exists()
    world.private_coop.refresh_from_db()
    assert world.private_coop.member_count == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REMOVE_MEMBER).count() == 1
    # Someone who is not a member cannot be named.
    assert alice_client.post(url("member_remove", world.section, charlie.code)).status_code == 404
