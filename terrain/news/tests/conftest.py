"""Fixtures of the news tests: a post by bob in the section's private cooperative."""

from __future__ import annotations

import pytest

from terrain.cooperatives.services import membership_add
from terrain.news.services import comment_create, post_create
from terrain.tests.factories import make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bob_post(world):
    return post_create(cooperative=world.private_coop, author=world.bob, body_html="<div>Assemblée jeudi</div>")


@pytest.fixture
def alice_post(world):
    return post_create(cooperative=world.private_coop, author=world.alice, body_html="<div>Tract à relire</div>")


@pytest.fixture
def bob_comment(world, alice_post):
    return comment_create(post=alice_post, author=world.bob, text="Je relis ce soir")


@pytest.fixture
def dana(world):
    """Another member of both cooperatives, who follows nothing."""
    user = make_user("Dana Roux")
    membership_add(cooperative=world.private_coop, user=user, announce=False)
    membership_add(cooperative=world.open_coop, user=user, announce=False)
    return user
