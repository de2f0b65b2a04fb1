"""Suggestions of @names while writing: members of the cooperative only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.services import membership_add
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_members_get_the_names_of_members(world, bob_client):
    url = reverse("news:mention_suggest", args=[world.private_coop.code])

    members = bob_client.get(url, {"q": "ali"}).json()["members"]
    everyone = bob_client.get(url, {"q": ""}).json()["members"]

    assert members == [{"handle": world.alice.handle, "name": "Alice Martin"}]
    assert {m["handle"] for m in everyone} == {world.alice.handle, world.bob.handle}
    assert world.charlie.handle not in {m["handle"] for m in bob_client.get(url, {"q": "char"}).json()["members"]}


def test_names_are_suggested_whatever_the_accents_and_case(world, bob_client):
    helene = make_user("Hélène Dupont")
    membership_add(cooperative=world.private_coop, user=helene)
    url = reverse("news:mention_suggest", args=[world.private_coop.code])
    expected = [{"handle": helene.handle, "name": "Hélène Dupont"}]

    for q in ("hel", "@HÉL", "Hélène D", "helene.d"):
        assert bob_client.get(url, {"q": q}).json()["members"] == expected, q
    # A prefix, not a substring.
    assert bob_client.get(url, {"q": "dupont"}).json()["members"] == []


@pytest.mark.outsider("news:mention_suggest")
def test_outsiders_get_no_names(world, charlie_client, client):
    url = reverse("news:mention_suggest", args=[world.private_coop.code])
    assert_refused(charlie_client.get(url, {"q": "a"}))
    assert_refused(charlie_client.get(reverse("news:mention_suggest", args=[world.open_coop.code])), hidden=False)
    assert_login_required(client.get(url))
