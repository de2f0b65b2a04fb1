"""Accepting an invitation (public link) and inviting someone to the platform (administrators)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from terrain.accounts.models import Invitation, User
from terrain.accounts.services import invitation_create
from terrain.cooperatives.models import Membership
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.tests.factories import make_user

GOOD = {"display_name": "Nadia Benali", "password1": "une phrase facile à retenir", "password2": ""}
GOOD["password2"] = GOOD["password1"]


def _invite(django_capture_on_commit_callbacks, *, email: str, by, cooperative=None) -> tuple[Invitation, str]:
    """Send a real invitation and return it with the path of the link in its e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(email=email, by=by, cooperative=cooperative)
    body = mail.outbox[-1].body
    token = body.split("/compte/invitation/")[1].split("/")[0]
    return invitation, f"/compte/invitation/{token}/"


def _cooperative_url(cooperative) -> str:
    try:
        return reverse("cooperatives:detail", args=[cooperative.code])
    except NoReverseMatch:
        return reverse("feed:home")


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    def make(**kwargs):
        return _invite(django_capture_on_commit_callbacks, **kwargs)

    return make


# --- A new person ---------------------------------------------------------------------


@pytest.mark.django_db
def test_new_person_creates_account_joins_the_cooperative_and_is_signed_in(client: Client, world, invite):
    invitation, path = invite(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    response = client.get(path)
    assert response.status_code == 200
    assert "accounts/invitation_signup.html" in _templates(response)
    assert "nadia@example.org" in response.content.decode()

    response = client.post(path, GOOD)
    assert response.status_code == 302
    assert response["Location"] == _cooperative_url(world.open_coop)
    nadia = User.objects.get(email="nadia@example.org")
    assert nadia.display_name == "Nadia Benali"
    assert nadia.handle == "nadia.benali"
    assert nadia.check_password(GOOD["password1"])
    assert get_user(client).pk == nadia.pk
    assert Membership.objects.filter(user=nadia, cooperative=world.open_coop).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == nadia


@pytest.mark.django_db
def test_new_account_keeps_the_language_chosen_before_signing_up(client: Client, world, invite):
    _invitation, path = invite(email="nadia@example.org", by=world.alice)
    client.cookies["django_language"] = "en"
    client.post(path, GOOD)
    assert User.objects.get(email="nadia@example.org").language == "en"


@pytest.mark.django_db
def test_platform_invitation_leads_to_the_feed(client: Client, world, invite):
    _invitation, path = invite(email="nadia@example.org", by=world.alice)
    response = client.post(path, GOOD)
    assert response["Location"] == reverse("feed:home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**GOOD, "password2": "une autre phrase différente"}, "password2"),
        ({**GOOD, "password1": "court", "password2": "court"}, "password1"),
        ({**GOOD, "password1": "1234567890123", "password2": "1234567890123"}, "password1"),
        ({**GOOD, "display_name": "   "}, "display_name"),
    ],
)
def test_bad_signup_is_shown_again_with_errors_and_nothing_is_created(client: Client, world, invite, data, field):
    invitation, path = invite(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    response = client.post(path, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if data["display_name"].strip():
        assert f'value="{data["display_name"]}"' in response.content.decode()
    assert not User.objects.filter(email="nadia@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.django_db
def test_password_like_the_address_is_refused(client: Client, world, invite):
    _invitation, path = invite(email="nadia.benali@example.org", by=world.alice)
    response = client.post(
        path, {**GOOD, "password1": "nadia.benali@example.org", "password2": "nadia.benali@example.org"}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors


@pytest.mark.django_db
def test_someone_signed_in_cannot_create_an_account_for_another_address(alice_client: Client, world, invite):
    _invitation, path = invite(email="nadia@example.org", by=world.bob)
    response = alice_client.post(path, GOOD)
    assert response.status_code == 200
    assert response.context["state"] == "other_account"
    assert not User.objects.filter(email="nadia@example.org").exists()
    assert reverse("accounts:logout") in response.content.decode()


# --- Unusable links -------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_link_says_so(client: Client, world):
    response = client.get("/compte/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert response.context["reason"] == "unknown"


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["used", "expired", "revoked"])
def test_unusable_link_says_why_and_whom_to_ask(client: Client, world, invite, reason):
    invitation, path = invite(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    if reason == "used":
        invitation.accepted_at = timezone.now()
    elif reason == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    else:
        invitation.revoked_at = timezone.now()
    invitation.save()
    for response in (client.get(path), client.post(path, GOOD)):
        assert response.status_code == 410
        assert response.context["reason"] == reason
        assert "accounts/invitation_unusable.html" in _templates(response)
    if reason != "used":
        assert "Alice Martin" in response.content.decode()
    assert not User.objects.filter(email="nadia@example.org").exists()


@pytest.mark.django_db
def test_a_newer_invitation_replaces_the_link_of_the_older(client: Client, world, invite):
    _first, old_path = invite(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    _second, new_path = invite(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    assert client.get(old_path).context["reason"] == "revoked"
    assert client.get(new_path).status_code == 200


# --- Someone who already has an account ----------------------------------------------


@pytest.mark.django_db
def test_existing_account_signed_out_is_asked_to_sign_in_and_come_back(client: Client, world, invite):
    invitation, path = invite(email="charlie@example.org", by=world.alice, cooperative=world.open_coop)
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["state"] == "sign_in"
    assert f"{reverse('accounts:login')}?next=%2Fcompte%2Finvitation%2F" in response.content.decode()
    # Posting the sign-up form does not create or take over anything.
    response = client.post(path, GOOD)
    assert response.context["state"] == "sign_in"
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.django_db
def test_existing_account_signed_in_accepts_with_a_button(charlie_client: Client, world, invite):
    invitation, path = invite(email="charlie@example.org", by=world.alice, cooperative=world.open_coop)
    response = charlie_client.get(path)
    assert response.status_code == 200
    assert response.context["state"] == "accept"
    assert not Membership.objects.filter(user=world.charlie, cooperative=world.open_coop).exists()

    response = charlie_client.post(path)
    assert response.status_code == 302
    assert response["Location"] == _cooperative_url(world.open_coop)
    assert Membership.objects.filter(user=world.charlie, cooperative=world.open_coop).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.charlie

    # A second tap on the link is not an error.
    response = charlie_client.get(path)
    assert response.status_code == 302
    assert response["Location"] == _cooperative_url(world.open_coop)


@pytest.mark.django_db
def test_existing_account_but_signed_in_as_someone_else_is_explained(bob_client: Client, world, invite):
    invitation, path = invite(email="charlie@example.org", by=world.alice, cooperative=world.private_coop)
    for response in (bob_client.get(path), bob_client.post(path)):
        assert response.status_code == 200
        assert response.context["state"] == "other_account"
    assert not Membership.objects.filter(user=world.charlie, cooperative=world.private_coop).exists()
    invitation.refresh_from_db()
    assert invitation.is_usable


# --- Inviting someone to the platform -------------------------------------------------


@pytest.fixture
def admin_client(db, world) -> Client:
    admin = make_user("Adèle Admin", email="admin@example.org", is_staff=True)
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.django_db
@pytest.mark.outsider("accounts:invite")
def test_invite_page_is_hidden_from_everyone_but_platform_administrators(
    client: Client, charlie_client: Client, alice_client: Client
):
    assert_login_required(client.get(reverse("accounts:invite")))
    assert_refused(charlie_client.get(reverse("accounts:invite")))
    # Facilitating a cooperative does not make one a platform administrator.
    assert_refused(alice_client.post(reverse("accounts:invite"), {"email": "x@example.org"}))
    assert not Invitation.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_administrator_invites_someone_to_the_platform(admin_client: Client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("accounts:invite"), {"email": "Nadia@Example.org", "message": "Bienvenue parmi nous."}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invite")
    invitation = Invitation.objects.get(email="nadia@example.org")
    assert invitation.cooperative is None
    assert invitation.message == "Bienvenue parmi nous."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.org"]
    assert "Bienvenue parmi nous." in mail.outbox[0].body

    response = admin_client.get(reverse("accounts:invite"))
    assert "nadia@example.org" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["not-an-address", "alice@example.org", "ALICE@example.org"])
def test_invalid_or_existing_address_is_refused_with_the_input_kept(admin_client: Client, email):
    response = admin_client.post(reverse("accounts:invite"), {"email": email, "message": "Un mot"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    html = response.content.decode()
    assert f'value="{email}"' in html
    assert "Un mot" in html
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invite_page_lists_invitations_in_a_bounded_number_of_queries(
    admin_client: Client, world, django_assert_max_num_queries
):
    for n in range(12):
        invitation_create(email=f"person{n}@example.org", by=world.alice)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("accounts:invite"))
    assert response.status_code == 200
    assert response.content.decode().count("person") >= 12
