"""A structure's page, editing it and creating sub-structures."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.accounts.models import Invitation
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.structures.models import Official, OfficialRole, Structure, StructureKind
from terrain.structures.services import official_add, structure_create
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def url(name: str, structure: Structure) -> str:
    return reverse(f"structures:{name}", args=[structure.code])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ud_official(world):
    odile = make_user("Odile Leroy", email="odile@example.org")
    official_add(structure=world.ud, user=odile, role=OfficialRole.SECRETAIRE)
    return odile


@pytest.mark.outsider("structures:detail")
def test_detail_is_404_for_outsiders(world, client, charlie_client, bob_client):
    assert_login_required(client.get(url("detail", world.section)))
    for structure in (world.ud, world.syndicat, world.section):
        assert_refused(charlie_client.get(url("detail", structure)))
    # Bob belongs to the section only: the structures above are not his to see.
    assert_refused(bob_client.get(url("detail", world.syndicat)))


def test_member_sees_the_structure_and_its_cooperative(world, bob_client):
    page = bob_client.get(url("detail", world.section))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("cooperatives:detail", args=[world.private_coop.code]) in html
    assert "Alice Martin" in html and "Secrétaire" in html  # officials with roles
    assert url("members", world.section) not in html  # managing is for officials
    # Breadcrumb: the structures above are named, not linked, for a plain member.
    assert world.syndicat.name in html and url("detail", world.syndicat) not in html


def test_sub_structure_visible_to_the_official_above(world, ud_official):
    client = _client(ud_official)
    ul = structure_create(kind=StructureKind.UNION_LOCALE, name="UL Villeurbanne", parent=world.ud)
    page = client.get(url("detail", world.ud))
    assert set(page.context["children"]) == {world.syndicat, ul}
    assert page.context["can_create_child"]
    section = client.get(url("detail", world.section))
    assert section.status_code == 200 and section.context["access"].can_manage
    assert [(s, visible) for s, visible in section.context["ancestors"]] == [(world.ud, True), (world.syndicat, True)]
    # She manages the section without being in its cooperative: no link to it.
    assert reverse("cooperatives:detail", args=[world.private_coop.code]) not in section.content.decode()


def test_member_sees_only_the_sub_structures_they_belong_to(world, bob):
    from terrain.structures.services import structure_member_add

    structure_member_add(structure=world.syndicat, user=bob)
    other = structure_create(kind=StructureKind.SECTION, name="Section Sud", parent=world.syndicat)
    page = _client(bob).get(url("detail", world.syndicat))
    assert list(page.context["children"]) == [world.section]
    assert other.name not in page.content.decode()


@pytest.mark.outsider("structures:edit")
def test_edit_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    assert_login_required(client.get(url("edit", world.section)))
    assert_refused(charlie_client.get(url("edit", world.section)))
    assert bob_client.get(url("edit", world.section)).status_code == 403
    assert bob_client.post(url("edit", world.section), {"name": "Piratée"}).status_code == 403
    world.section.refresh_from_db()
    assert world.section.name == "Section Hôpital Nord"


def test_renaming_the_structure_renames_its_cooperative_and_its_search_text(world, alice_client):
    coop = world.private_coop
    alice_client.post(url("edit", world.section), {"name": "Section Clinique Saint-Éloi", "commune": "Lyon"})
    coop.refresh_from_db()
    assert coop.name == "Section Clinique Saint-Éloi"
    assert "saint-eloi" in coop.search_text and "hopital" not in coop.search_text


def test_edit_saves_and_validates(world, alice_client):
    response = alice_client.post(url("edit", world.section), {"name": "Section Nord", "departement": "2a"})
    assert response["Location"] == url("detail", world.section)
    world.section.refresh_from_db()
    assert (world.section.name, world.section.departement) == ("Section Nord", "2A")
    response = alice_client.post(url("edit", world.section), {"name": "Autre", "departement": "99", "commune": "Bron"})
    assert response.status_code == 200 and "departement" in response.context["form"].errors
    assert 'value="Bron"' in response.content.decode()


@pytest.mark.outsider("structures:create_child")
def test_create_child_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    data = {"kind": "section", "name": "Intruse"}
    assert_login_required(client.get(url("create_child", world.syndicat)))
    assert_refused(charlie_client.post(url("create_child", world.syndicat), data))
    assert bob_client.post(url("create_child", world.section), data).status_code == 403
    assert not Structure.objects.filter(name="Intruse").exists()


def test_create_child_offers_only_allowed_kinds(world, ud_official):
    client = _client(ud_official)
    kinds = {
        value for value, _label in client.get(url("create_child", world.ud)).context["form"].fields["kind"].choices
    }
    assert kinds == {StructureKind.UNION_LOCALE, StructureKind.SYNDICAT}
    kinds = {
        value
        for value, _label in client.get(url("create_child", world.syndicat)).context["form"].fields["kind"].choices
    }
    assert kinds == {StructureKind.SECTION}
    page = client.get(url("create_child", world.section))
    assert "form" not in page.context and "On ne peut rien créer sous ce type de structure" in page.content.decode()
    response = client.post(url("create_child", world.syndicat), {"kind": "ud", "name": "Refusée"})
    assert response.status_code == 200 and "kind" in response.context["form"].errors


def test_create_child_with_a_first_official(world, alice_client, ud_official, bob):
    client = _client(ud_official)
    response = client.post(
        url("create_child", world.syndicat),
        {
            "kind": "section",
            "name": "Section Est",
            "commune": "Vénissieux",
            "official_email": "bob@example.org",
            "official_role": "secretaire",
        },
    )
    child = Structure.objects.get(name="Section Est")
    assert response["Location"] == url("detail", child)
    assert child.parent == world.syndicat and child.cooperative.is_private
    # Bob is invited to the mandate, not given it behind his back.
    assert not Official.objects.filter(structure=child).exists()
    assert Invitation.objects.get(cooperative=child.cooperative).mandate == "secretaire"
    assert not Official.objects.filter(structure=child, user=ud_official).exists()
