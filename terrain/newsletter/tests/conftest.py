from __future__ import annotations

import pytest

from terrain.newsletter.services import channel_enable


@pytest.fixture
def newsletter_account(world):
    return channel_enable(structure=world.section, network="newsletter", by=world.alice)


@pytest.fixture
def feed_account(world):
    return channel_enable(structure=world.section, network="rss", by=world.alice)
