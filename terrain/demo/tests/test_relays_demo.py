"""The demo data of relays, newsletter and feed loads on a world like the demo's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import relays as demo
from terrain.newsletter.models import FeedEntry, Subscriber
from terrain.relays.models import Relay, RelaySubscription

pytestmark = pytest.mark.django_db


def test_demo_loads_and_its_pages_work(world, client, bob_client):
    demo_world = SimpleNamespace(
        structures={"hopital": world.section}, people={"animatrice": world.alice, "membre": world.bob}
    )
    demo.load(demo_world)
    assert Subscriber.objects.filter(status="confirmed").count() == len(demo.NEWSLETTER_READERS)
    assert RelaySubscription.objects.filter(structure=world.section).count() == 2  # alice and bob
    assert FeedEntry.objects.count() == 2
    assert Relay.objects.exists()
    assert client.get(reverse("newsletter:subscribe", args=[world.section.code])).status_code == 200
    feed = client.get(reverse("newsletter:feed", args=[world.section.code])).content.decode()
    assert "Pause déjeuner" in feed
    assert bob_client.get(reverse("relays:home")).status_code == 200
