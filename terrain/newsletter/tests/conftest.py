from __future__ import annotations

import pytest

from terrain.atelier.models import Network
from terrain.newsletter.services import channel_enable


@pytest.fixture
def newsletter_account(world):
    return channel_enable(structure=world.section, network=Network.NEWSLETTER, by=world.alice)


@pytest.fixture
def feed_account(world):
    return channel_enable(structure=world.section, network=Network.RSS, by=world.alice)
