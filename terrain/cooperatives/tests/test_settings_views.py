"""A cooperative's settings, archiving and reopening."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.access import cooperative_access
from terrain.cooperatives.models import Cooperative
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def url(name: str, coop: Cooperative) -> str:
    return reverse(f"cooperatives:{name}", args=[coop.code])


@pytest.mark.outsider("cooperatives:edit")
def test_edit_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    data = {"name": "Piraté", "join_policy": "open"}
    assert_login_required(client.get(url("edit", world.open_coop)))
    assert_refused(charlie_client.get(url("edit", world.private_coop)))
    assert charlie_client.post(url("edit", world.open_coop), data).status_code == 403
    assert bob_client.get(url("edit", world.open_coop)).status_code == 403
    assert bob_client.post(url("edit", world.private_coop), data).status_code == 403
    world.open_coop.refresh_from_db()
    assert world.open_coop.name == "Égalité professionnelle"


def test_edit_saves_presentation_image_and_policy(world, alice_client):
    coop = world.open_coop
    page = alice_client.get(url("edit", coop))
    assert page.status_code == 200 and page.context["form"]["name"].value() == coop.name
    response = alice_client.post(
        url("edit", coop),
        {"name": "Égalité F/H", "description": "Salaires", "join_policy": "open", "image": make_image_file()},
    )
    assert response["Location"] == url("detail", coop)
    coop.refresh_from_db()
    assert (coop.name, coop.description, coop.join_policy) == ("Égalité F/H", "Salaires", "open")
    assert coop.image

    alice_client.post(url("edit", coop), {"name": "Égalité F/H", "join_policy": "open", "remove_image": "on"})
    coop.refresh_from_db()
    assert not coop.image


def test_a_renamed_cooperative_is_found_by_its_new_name(world, alice_client, charlie_client):
    alice_client.post(
        url("edit", world.open_coop),
        {"name": "Salaires des soignantes", "description": "Négocier l’été", "join_policy": "request"},
    )

    def found(q: str) -> list[Cooperative]:
        return list(charlie_client.get(reverse("cooperatives:list"), {"q": q}).context["discover"].object_list)

    assert found("SOIGNANTES") == [world.open_coop]
    assert found("negocier l'ete") == [world.open_coop]
    assert found("egalite") == []
    assert found("ensemble") == []


def test_a_private_cooperative_cannot_be_opened_to_all(world, alice_client):
    response = alice_client.post(url("edit", world.private_coop), {"name": "Section", "join_policy": "open"})
    assert response.status_code == 200
    assert "join_policy" in response.context["form"].errors
    assert 'value="Section"' in response.content.decode()  # typed input kept
    world.private_coop.refresh_from_db()
    assert world.private_coop.join_policy == "invitation"


@pytest.mark.outsider("cooperatives:archive")
def test_archive_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    assert_login_required(client.post(url("archive", world.open_coop)))
    assert_refused(charlie_client.post(url("archive", world.private_coop)))
    assert bob_client.post(url("archive", world.open_coop)).status_code == 403
    world.open_coop.refresh_from_db()
    assert not world.open_coop.is_archived


@pytest.mark.outsider("cooperatives:unarchive")
def test_unarchive_refuses_outsiders_and_members(world, client, charlie_client, bob_client, alice_client):
    alice_client.post(url("archive", world.open_coop))
    assert_login_required(client.post(url("unarchive", world.open_coop)))
    assert_refused(charlie_client.post(url("unarchive", world.private_coop)))
    assert bob_client.post(url("unarchive", world.open_coop)).status_code == 403
    world.open_coop.refresh_from_db()
    assert world.open_coop.is_archived


def test_archive_makes_it_read_only_and_hidden_then_reopen(world, alice_client, bob, bob_client, charlie_client):
    coop = world.open_coop
    alice_client.post(url("archive", coop))
    coop.refresh_from_db()
    assert coop.is_archived
    assert not cooperative_access(user=bob, cooperative=coop).can_post
    assert bob_client.get(url("detail", coop)).status_code == 200  # still readable
    assert coop not in charlie_client.get(reverse("cooperatives:list")).context["discover"].object_list
    charlie_client.post(url("request", coop))
    assert not coop.join_requests.exists()

    alice_client.post(url("unarchive", coop))
    coop.refresh_from_db()
    assert not coop.is_archived and cooperative_access(user=bob, cooperative=coop).can_post


def test_a_private_cooperative_is_not_archived(world, alice_client):
    response = alice_client.post(url("archive", world.private_coop), follow=True)
    assert "structure ne peut pas être archivée." in response.content.decode()
    world.private_coop.refresh_from_db()
    assert not world.private_coop.is_archived
