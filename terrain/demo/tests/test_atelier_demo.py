"""The plan's demonstration data: a strategy, a lexicon, a queue and messages in every status, on the sandbox."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, Publication, Strategy
from terrain.atelier.selectors_plan import lexicon_of
from terrain.demo import atelier as demo
from terrain.demo.world import DemoWorld
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user


def test_demo_load_fills_the_section_workshop(world, alice_client):
    linh = make_user("Linh Nguyen")
    structure_member_add(structure=world.section, user=linh)
    demo_world = DemoWorld(
        people={"animatrice": world.alice, "membre": world.bob, "linh": linh}, structures={"hopital": world.section}
    )
    demo.load(demo_world)
    strategy = Strategy.objects.get(structure=world.section)
    assert dict(strategy.cadences.values_list("network", "posts_per_week")) == {
        "mastodon": 3,
        "bluesky": 2,
        "facebook": 2,
        "telegram": 1,
        "newsletter": 1,
    }
    assert lexicon_of(world.section)["CSE"] == "comité social et économique"
    statuses = set(Message.objects.filter(structure=world.section).values_list("status", flat=True))
    assert statuses == set(Message.Status.values)
    # The accounts are connected to the local sandbox, never to a real network; one newsletter.
    for account in ConnectedAccount.objects.exclude(network="newsletter"):
        assert account.on_this_machine and ".invalid" not in account.api_base
    assert ConnectedAccount.objects.filter(network="newsletter").count() == 1
    # Nothing in the past is left for the engine to pick up.
    assert not Publication.objects.filter(state=Publication.State.PENDING, due_at__lt=timezone.now()).exists()
    assert alice_client.get(reverse("atelier:calendar", args=[world.section.code])).status_code == 200
    assert alice_client.get(reverse("atelier:home")).status_code == 200
