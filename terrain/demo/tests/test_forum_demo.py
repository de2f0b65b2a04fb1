"""The demo forum loads on a world like the demo's, and shows something new to the demo logins."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.cooperatives.models import Membership
from terrain.demo import forum as demo
from terrain.forum.models import Category, Topic

pytestmark = pytest.mark.django_db


def test_demo_forum_loads_and_its_pages_work(world, bob_client, alice_client):
    demo_world = SimpleNamespace(
        structures={"hopital": world.section}, people={"animatrice": world.alice, "membre": world.bob}
    )
    coop = world.section.cooperative
    # As in the demo world, the members joined a month before.
    Membership.objects.filter(cooperative=coop).update(joined_at=timezone.now() - timedelta(days=30))
    demo.load(demo_world)
    assert Category.objects.filter(cooperative=coop).count() == 4
    assert Topic.objects.filter(cooperative=coop).count() == len(demo.TOPICS)
    rules = Topic.objects.get(title="Règles du forum")
    assert rules.pinned_at and rules.locked_at
    assert Topic.objects.get(title__startswith="Heures supplémentaires").answer is not None
    response = bob_client.get(reverse("forum:home", args=[coop.code]))
    topics = list(response.context["page"].object_list)
    assert topics[0] == rules
    unread = {t.title for t in topics if t.is_unread}
    assert "Pause de nuit : une salle pour souffler" in unread
    assert "Règles du forum" not in unread
    greve = Topic.objects.get(title__startswith="Vote sur le préavis")
    assert alice_client.get(reverse("forum:topic_detail", args=[greve.code])).status_code == 200


def test_demo_forum_topic_carries_a_library_file(world, bob_client):
    from terrain.demo import forum_links
    from terrain.demo import library as demo_library

    demo_world = SimpleNamespace(
        structures={"hopital": world.section}, people={"animatrice": world.alice, "membre": world.bob}
    )
    demo.load(demo_world)
    demo_library.load(demo_world)
    forum_links.load(demo_world)
    greve = Topic.objects.get(title__startswith="Vote sur le préavis")
    minutes = greve.attachments.get()
    page = bob_client.get(reverse("forum:topic_detail", args=[greve.code])).content.decode()
    assert reverse("library:download", args=[minutes.code]) in page
