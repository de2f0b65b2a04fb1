"""Platform administration of members and invitations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.accounts.models import Invitation, User
from terrain.accounts.services import invitation_create
from terrain.tests.factories import make_user


@pytest.fixture
def superuser_client(db) -> Client:
    admin = make_user("Adèle Admin", email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_plain_members_do_not_reach_the_administration(charlie_client: Client):
    response = charlie_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/administration/login/" in response["Location"]


@pytest.mark.django_db
def test_members_are_searched_by_email_or_name(superuser_client: Client, world):
    url = reverse("admin:accounts_user_changelist")
    response = superuser_client.get(url, {"q": "bob@example"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world.bob]
    response = superuser_client.get(url, {"q": "Alice Martin"})
    assert list(response.context["cl"].result_list) == [world.alice]
    assert superuser_client.get(url, {"is_staff__exact": "1"}).status_code == 200


@pytest.mark.django_db
def test_member_pages_have_no_username(superuser_client: Client, world):
    response = superuser_client.get(reverse("admin:accounts_user_change", args=[world.alice.pk]))
    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()
    assert 'name="email"' in response.content.decode()


@pytest.mark.django_db
def test_adding_a_member_by_email_gives_them_a_mention_name(superuser_client: Client, world):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nadia@Example.org",
            "display_name": "Nadia Benali",
            "usable_password": "true",
            "password1": "une phrase facile à retenir",
            "password2": "une phrase facile à retenir",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    nadia = User.objects.get(email="nadia@example.org")
    assert nadia.handle == "nadia.benali"
    assert nadia.search_name == "nadia benali nadia.benali"
    assert nadia.check_password("une phrase facile à retenir")

    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "NADIA@example.org", "display_name": "Autre", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_a_superuser_made_from_the_command_line_is_found_by_name():
    # manage.py createsuperuser goes through the manager, not user_create.
    root = User.objects.create_superuser("Root.Admin@example.org", "une phrase assez longue", display_name="Régis")
    assert root.search_name == "regis"


@pytest.mark.django_db
def test_renaming_a_member_here_keeps_member_searches_right(superuser_client: Client, world):
    url = reverse("admin:accounts_user_change", args=[world.bob.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"display_name": "Bérénice Durand", "handle": "berenice", "groups": [], "user_permissions": []})
    data.update({"date_joined_0": "2026-01-05", "date_joined_1": "10:00:00", "photo": ""})
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    world.bob.refresh_from_db()
    assert world.bob.search_name == "berenice durand berenice"


@pytest.mark.django_db
def test_invitations_are_read_only_and_never_show_the_token_hash(superuser_client: Client, world):
    invitation = invitation_create(email="nadia@example.org", by=world.alice, cooperative=world.open_coop)
    assert superuser_client.get(reverse("admin:accounts_invitation_changelist")).status_code == 200
    response = superuser_client.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nadia@example.org" in html
    assert invitation.token_hash not in html
    assert superuser_client.get(reverse("admin:accounts_invitation_add")).status_code == 403
    superuser_client.post(
        reverse("admin:accounts_invitation_change", args=[invitation.pk]), {"email": "other@example.org"}
    )
    invitation.refresh_from_db()
    assert invitation.email == "nadia@example.org"
    assert Invitation.objects.count() == 1
