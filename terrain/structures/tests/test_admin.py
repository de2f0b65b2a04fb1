"""Platform administrators create top structures and mandates through the services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.cooperatives.models import Cooperative, Membership
from terrain.structures.models import Official, Structure
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world) -> Client:
    admin = make_user("Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_a_root_structure_made_in_the_admin_gets_its_private_cooperative(admin_client):
    response = admin_client.post(
        reverse("admin:structures_structure_add"),
        {"kind": "confederation", "name": "Confédération", "departement": "", "commune": "", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    structure = Structure.objects.get(name="Confédération")
    assert structure.path == f"{structure.pk}/" and structure.depth == 0
    assert Cooperative.objects.get(structure=structure).kind == Cooperative.Kind.PRIVATE
    assert Structure.objects.filter(name="Confédération").count() == 1


def test_the_admin_refuses_a_kind_in_the_wrong_place(admin_client, world):
    response = admin_client.post(
        reverse("admin:structures_structure_add"),
        {"kind": "section", "name": "Section orpheline", "parent": world.ud.pk},
    )
    assert response.status_code == 200
    assert not Structure.objects.filter(name="Section orpheline").exists()


def test_a_mandate_given_in_the_admin_makes_a_facilitator(admin_client, world):
    response = admin_client.post(
        reverse("admin:structures_official_add"),
        {"structure": world.ud.pk, "user": world.charlie.pk, "role": "secretaire"},
    )
    assert response.status_code == 302
    assert Official.objects.filter(structure=world.ud, user=world.charlie).exists()
    assert Membership.objects.get(cooperative=world.ud.cooperative, user=world.charlie).role == "animateur"


def test_cooperative_admin_pages_open(admin_client, world):
    for name in ("cooperative", "membership", "joinrequest"):
        assert admin_client.get(reverse(f"admin:cooperatives_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:structures_structure_changelist")).status_code == 200
    change = admin_client.get(reverse("admin:cooperatives_cooperative_change", args=[world.open_coop.pk]))
    assert change.status_code == 200


def test_cooperative_admin_cannot_open_a_private_cooperative_to_all(admin_client, world):
    coop = world.private_coop
    response = admin_client.post(
        reverse("admin:cooperatives_cooperative_change", args=[coop.pk]),
        {"name": coop.name, "description": "", "join_policy": "open"},
    )
    assert response.status_code == 200
    coop.refresh_from_db()
    assert coop.join_policy == "invitation"


@pytest.mark.parametrize("topic", ["cooperatives", "structures"])
def test_help_pages_render(client, topic):
    response = client.get(reverse("core:help_topic", args=[topic]))
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()
