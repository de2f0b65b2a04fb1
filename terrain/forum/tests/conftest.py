"""Fixtures of the forum tests: a category and a topic by bob in the section's private cooperative."""

from __future__ import annotations

import pytest

from terrain.cooperatives.services import membership_add
from terrain.forum.services import reply_create, topic_create
from terrain.forum.services_categories import category_create
from terrain.tests.factories import make_user


@pytest.fixture
def category(world):
    return category_create(cooperative=world.private_coop, name="Salaires", by=world.alice)


@pytest.fixture
def other_category(world):
    return category_create(cooperative=world.private_coop, name="Grève", by=world.alice)


@pytest.fixture
def topic(world, category):
    return topic_create(
        category=category,
        author=world.bob,
        title="Heures supplémentaires de mars",
        body_html="<div>Elles ne sont pas payées. Qui a le même souci ?</div>",
        tags=["Salaires", "heures sup"],
    )


@pytest.fixture
def dana(world):
    """Another member of both cooperatives, who follows nothing."""
    user = make_user("Dana Roux")
    membership_add(cooperative=world.private_coop, user=user, announce=False)
    membership_add(cooperative=world.open_coop, user=user, announce=False)
    return user


@pytest.fixture
def alice_reply(world, topic):
    return reply_create(topic=topic, author=world.alice, body_html="<div>Oui : voir la convention, article 12.</div>")
