"""Seeing a member's profile, and the one rule that says who sees which field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from terrain.accounts.access import field_visible_to
from terrain.accounts.models import Visibility
from terrain.core.tests.helpers import assert_login_required, assert_refused


def _url(person) -> str:
    return reverse("accounts:profile", args=[person.code])


def _set(person, **fields) -> None:
    for name, value in fields.items():
        setattr(person, name, value)
    person.save(update_fields=list(fields))


@pytest.mark.django_db
@pytest.mark.outsider("accounts:profile")
def test_profile_is_hidden_from_anyone_sharing_no_cooperative(client: Client, charlie_client: Client, alice):
    _set(alice, email_visibility=Visibility.PLATFORM, bio="Public bio", bio_visibility=Visibility.PLATFORM)
    assert_login_required(client.get(_url(alice)))
    # Same answer as for an account that does not exist: membership is not disclosed.
    assert_refused(charlie_client.get(_url(alice)))
    assert_refused(charlie_client.get(reverse("accounts:profile", args=["zzzzzzzzzzzzzz"])))
    assert_refused(charlie_client.get(reverse("accounts:profile", args=["not-a-code"])))


@pytest.mark.django_db
def test_member_of_a_shared_cooperative_sees_name_and_handle_but_no_cooperatives(bob_client: Client, world, alice):
    response = bob_client.get(_url(alice))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Martin" in html
    assert f"@{alice.handle}" in html
    assert world.open_coop.name not in html
    assert world.private_coop.name not in html


@pytest.mark.django_db
def test_closed_account_profile_is_gone(bob_client: Client, alice):
    _set(alice, is_active=False)
    assert_refused(bob_client.get(_url(alice)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visibility", "bob_sees"),
    [(Visibility.PLATFORM, True), (Visibility.COOPERATIVES, True), (Visibility.NOBODY, False)],
)
def test_email_and_bio_follow_their_visibility(bob_client: Client, alice_client: Client, alice, visibility, bob_sees):
    _set(alice, bio="Infirmière de nuit", email_visibility=visibility, bio_visibility=visibility)
    html = bob_client.get(_url(alice)).content.decode()
    assert ("alice@example.org" in html) is bob_sees
    assert ("Infirmière de nuit" in html) is bob_sees
    own = alice_client.get(_url(alice)).content.decode()
    assert "alice@example.org" in own
    assert "Infirmière de nuit" in own
    assert reverse("accounts:profile_edit") in own


@pytest.mark.django_db
def test_bio_is_shown_as_plain_text(bob_client: Client, alice):
    _set(alice, bio="<script>alert(1)</script>\nDeuxième ligne", bio_visibility=Visibility.COOPERATIVES)
    html = bob_client.get(_url(alice)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "<br>Deuxième ligne" in html


@pytest.mark.django_db
def test_profile_page_runs_few_queries(bob_client: Client, alice, django_assert_max_num_queries):
    _set(alice, bio="Bio", bio_visibility=Visibility.COOPERATIVES, email_visibility=Visibility.COOPERATIVES)
    with django_assert_max_num_queries(6):
        assert bob_client.get(_url(alice)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer_name", "visibility", "expected"),
    [
        ("alice", Visibility.NOBODY, True),  # oneself, always
        ("bob", Visibility.NOBODY, False),
        ("bob", Visibility.COOPERATIVES, True),
        ("bob", Visibility.PLATFORM, True),
        ("charlie", Visibility.COOPERATIVES, False),
        ("charlie", Visibility.PLATFORM, True),
        ("charlie", Visibility.NOBODY, False),
    ],
)
def test_field_visible_to(world, viewer_name, visibility, expected):
    viewer = getattr(world, viewer_name)
    assert field_visible_to(viewer=viewer, person=world.alice, visibility=visibility) is expected


@pytest.mark.django_db
def test_field_visible_to_nobody_signed_out_or_closed(world):
    for visibility in Visibility.values:
        assert field_visible_to(viewer=AnonymousUser(), person=world.alice, visibility=visibility) is False
    world.bob.is_active = False
    assert field_visible_to(viewer=world.bob, person=world.alice, visibility=Visibility.PLATFORM) is False
