"""The member list, invitations, roles, removals and answering requests to join."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.accounts.models import Invitation
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.cooperatives.services import join_request_create, membership_add
from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Notification
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def url(name: str, coop: Cooperative, *args) -> str:
    return reverse(f"cooperatives:{name}", args=[coop.code, *args])


@pytest.mark.outsider("cooperatives:members")
def test_members_refuses_outsiders(world, client, charlie_client):
    assert_login_required(client.get(url("members", world.open_coop)))
    assert_refused(charlie_client.get(url("members", world.private_coop)))
    # An open cooperative is known to exist, its members are not.
    assert charlie_client.get(url("members", world.open_coop)).status_code == 403
    assert not AuditEntry.objects.exists()


def test_member_sees_the_list_without_facilitator_tools(world, bob_client):
    page = bob_client.get(url("members", world.open_coop))
    assert page.status_code == 200
    assert {m.user for m in page.context["page"].object_list} == {world.alice, world.bob}
    assert "invite_form" not in page.context
    assert url("invite", world.open_coop) not in page.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_MEMBERS).exists()


def test_facilitator_look_is_audited_and_shows_requests(world, alice, alice_client, charlie):
    join_request_create(cooperative=world.open_coop, user=charlie, message="Bonjour")
    page = alice_client.get(url("members", world.open_coop))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_MEMBERS)
    assert (entry.actor, entry.target_type, entry.target_code) == (alice, "cooperative", world.open_coop.code)
    assert [jr.user for jr in page.context["requests"]] == [charlie]
    assert url("invite", world.open_coop) in page.content.decode()


def test_members_search(world, alice_client):
    page = alice_client.get(url("members", world.open_coop), {"q": "bob"})
    assert [m.user for m in page.context["page"].object_list] == [world.bob]


def test_members_search_ignores_accents_and_case(world, alice_client):
    helene = make_user("Hélène Dupont")
    membership_add(cooperative=world.open_coop, user=helene)
    for q in ("HELENE", "hélène dup", "dupont", helene.handle.upper()):
        page = alice_client.get(url("members", world.open_coop), {"q": q})
        assert [m.user for m in page.context["page"].object_list] == [helene], q
    assert list(alice_client.get(url("members", world.open_coop), {"q": "helena"}).context["page"]) == []


def test_members_queries_do_not_grow(world, alice_client, django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(url("members", world.open_coop)).status_code == 200
        return len(ctx)

    join_request_create(cooperative=world.open_coop, user=world.charlie)
    baseline = count()
    for n in range(12):
        person = make_user(f"Personne {n}")
        membership_add(cooperative=world.open_coop, user=person)
        join_request_create(cooperative=world.open_coop, user=make_user(f"Candidat {n}"))
    assert count() == baseline
    with django_assert_max_num_queries(12):
        alice_client.get(url("members", world.open_coop))


@pytest.mark.outsider("cooperatives:invite")
def test_invite_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    data = {"email": "x@example.org"}
    assert_login_required(client.post(url("invite", world.open_coop), data))
    assert_refused(charlie_client.post(url("invite", world.private_coop), data))
    assert charlie_client.post(url("invite", world.open_coop), data).status_code == 403
    assert bob_client.post(url("invite", world.open_coop), data).status_code == 403
    assert not Invitation.objects.exists()


def test_invite_sends_mail_and_notifies_an_existing_account(
    world, alice_client, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            url("invite", world.open_coop), {"email": "charlie@example.org", "message": "On t'attend"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["charlie@example.org"]]
    assert Invitation.objects.get().cooperative == world.open_coop
    assert Notification.objects.filter(user=charlie, reason=Notification.Reason.INVITED).exists()


def test_invite_errors_re_render_with_the_typed_input(world, alice_client):
    response = alice_client.post(url("invite", world.open_coop), {"email": "bob@example.org", "message": "Coucou"})
    assert response.status_code == 200
    assert "Cette personne est déjà membre." in response.content.decode()
    assert "Coucou" in response.content.decode()
    response = alice_client.post(url("invite", world.open_coop), {"email": "pas-une-adresse"})
    assert response.status_code == 200 and "email" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


@pytest.mark.outsider("cooperatives:member_role")
def test_role_refuses_outsiders(world, client, charlie_client, bob_client):
    target = url("member_role", world.open_coop, world.bob.code)
    assert_login_required(client.post(target, {"role": "animateur"}))
    assert_refused(charlie_client.post(url("member_role", world.private_coop, world.bob.code), {"role": "animateur"}))
    assert bob_client.post(target, {"role": "animateur"}).status_code == 403
    assert Membership.objects.get(cooperative=world.open_coop, user=world.bob).role == "member"


def test_role_change_plain_and_htmx(world, alice_client, bob):
    target = url("member_role", world.open_coop, bob.code)
    response = alice_client.post(target, {"role": "animateur"})
    assert response.status_code == 302
    assert Membership.objects.get(cooperative=world.open_coop, user=bob).role == "animateur"

    response = alice_client.post(target, {"role": "member"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="member-{bob.code}"' in response.content.decode() and "Rôle modifié." in response.content.decode()
    assert Membership.objects.get(cooperative=world.open_coop, user=bob).role == "member"


def test_role_change_refused_for_the_last_facilitator(world, alice, alice_client):
    response = alice_client.post(
        url("member_role", world.open_coop, alice.code), {"role": "member"}, HTTP_HX_REQUEST="true"
    )
    assert "a besoin d&#x27;au moins un·e animateur·rice" in response.content.decode()
    assert Membership.objects.get(cooperative=world.open_coop, user=alice).role == "animateur"


def test_role_of_a_non_member_is_404(world, alice_client, charlie):
    assert alice_client.post(url("member_role", world.open_coop, charlie.code), {"role": "member"}).status_code == 404


@pytest.mark.outsider("cooperatives:member_remove")
def test_remove_refuses_outsiders(world, client, charlie_client, bob_client, alice):
    assert_login_required(client.post(url("member_remove", world.open_coop, world.bob.code)))
    assert_refused(charlie_client.post(url("member_remove", world.private_coop, world.bob.code)))
    assert bob_client.post(url("member_remove", world.open_coop, alice.code)).status_code == 403
    assert Membership.objects.filter(cooperative=world.open_coop).count() == 2


def test_remove_member_updates_count_and_audits(world, alice_client, bob):
    coop = world.open_coop
    response = alice_client.post(url("member_remove", coop, bob.code))
    assert response["Location"] == url("members", coop)
    assert not Membership.objects.filter(cooperative=coop, user=bob).exists()
    coop.refresh_from_db()
    assert coop.member_count == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REMOVE_MEMBER, target_code=coop.code).count() == 1


@pytest.mark.outsider("cooperatives:request_decide")
def test_decide_refuses_outsiders(world, client, charlie, charlie_client, bob_client):
    jr = join_request_create(cooperative=world.open_coop, user=charlie)
    target = url("request_decide", world.open_coop, jr.code)
    assert_login_required(client.post(target, {"decision": "approve"}))
    assert_refused(charlie_client.post(url("request_decide", world.private_coop, jr.code), {"decision": "approve"}))
    assert charlie_client.post(target, {"decision": "approve"}).status_code == 403
    assert bob_client.post(target, {"decision": "approve"}).status_code == 403
    jr.refresh_from_db()
    assert jr.status == JoinRequest.Status.PENDING


def test_decide_approve_and_refuse(world, alice_client, charlie):
    dana = make_user("Dana")
    jr = join_request_create(cooperative=world.open_coop, user=charlie)
    response = alice_client.post(url("request_decide", world.open_coop, jr.code), {"decision": "approve"})
    assert response.status_code == 302
    assert Membership.objects.filter(cooperative=world.open_coop, user=charlie).exists()
    assert Notification.objects.filter(user=charlie, reason=Notification.Reason.JOIN_APPROVED).exists()

    jr2 = join_request_create(cooperative=world.open_coop, user=dana)
    response = alice_client.post(
        url("request_decide", world.open_coop, jr2.code), {"decision": "refuse"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Demande refusée : la personne a été prévenue." in response.content.decode()
    assert not Membership.objects.filter(cooperative=world.open_coop, user=dana).exists()
    assert Notification.objects.filter(user=dana, reason=Notification.Reason.JOIN_REFUSED).exists()

    # A request of another cooperative is not reachable through this one.
    other = join_request_create(cooperative=world.open_coop, user=make_user("Eve"))
    assert (
        alice_client.post(url("request_decide", world.private_coop, other.code), {"decision": "approve"}).status_code
        == 404
    )
