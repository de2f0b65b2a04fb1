"""Giving and withdrawing mandates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.structures.models import Official

pytestmark = pytest.mark.django_db


def add_url(world) -> str:
    return reverse("structures:official_add", args=[world.section.code])


def remove_url(world, user, role: str) -> str:
    return reverse("structures:official_remove", args=[world.section.code, user.code, role])


@pytest.mark.outsider("structures:official_add")
def test_official_add_refuses_outsiders_and_members(world, client, charlie_client, bob_client):
    data = {"email": "bob@example.org", "role": "tresorier"}
    assert_login_required(client.get(add_url(world)))
    assert_refused(charlie_client.post(add_url(world), data))
    assert bob_client.post(add_url(world), data).status_code == 403
    assert not Official.objects.filter(user=world.bob).exists()


def test_official_add_gives_a_mandate_to_a_member_only(world, alice_client, bob):
    assert alice_client.get(add_url(world)).status_code == 200
    response = alice_client.post(add_url(world), {"email": "bob@example.org", "role": "tresorier"})
    assert response["Location"] == reverse("structures:detail", args=[world.section.code])
    assert Official.objects.filter(structure=world.section, user=bob, role="tresorier").exists()

    response = alice_client.post(add_url(world), {"email": "charlie@example.org", "role": "tresorier"})
    assert response.status_code == 200 and "Ajoutez d&#x27;abord la personne comme membre" in response.content.decode()
    assert not Official.objects.filter(user=world.charlie).exists()


@pytest.mark.outsider("structures:official_remove")
def test_official_remove_refuses_outsiders_and_members(world, client, charlie_client, bob_client, alice):
    assert_login_required(client.post(remove_url(world, alice, "secretaire")))
    assert_refused(charlie_client.post(remove_url(world, alice, "secretaire")))
    assert bob_client.post(remove_url(world, alice, "secretaire")).status_code == 403
    assert Official.objects.filter(user=alice).exists()


def test_the_last_official_cannot_withdraw_their_own_mandate(world, alice, alice_client):
    response = alice_client.post(remove_url(world, alice, "secretaire"), follow=True)
    assert "Vous êtes la dernière personne responsable de cette structure" in response.content.decode()
    assert Official.objects.filter(structure=world.section, user=alice).exists()
    assert alice_client.post(remove_url(world, alice, "tresorier")).status_code == 404


def test_withdraw_a_mandate(world, alice_client, bob):
    alice_client.post(add_url(world), {"email": "bob@example.org", "role": "tresorier"})
    response = alice_client.post(remove_url(world, bob, "tresorier"))
    assert response.status_code == 302
    assert not Official.objects.filter(structure=world.section, user=bob).exists()
