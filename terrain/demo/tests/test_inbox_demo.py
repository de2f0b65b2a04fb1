"""The inbox's demonstration data: threads on every network through the real path, the team's work on them."""

from __future__ import annotations

from django.urls import reverse

from terrain.demo import atelier as atelier_demo
from terrain.demo import inbox as demo
from terrain.demo.world import DEMO_EXTENSIONS, DemoWorld
from terrain.inbox.models import Conversation, Item, Note, Reply, SavedReply, Stream
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user


def test_demo_load_fills_the_section_inbox(world, alice_client):
    linh = make_user("Linh Nguyen")
    structure_member_add(structure=world.section, user=linh)
    demo_world = DemoWorld(
        people={"animatrice": world.alice, "membre": world.bob, "linh": linh}, structures={"hopital": world.section}
    )
    atelier_demo.load(demo_world)
    demo.load(demo_world)

    threads = Conversation.objects.filter(structure=world.section)
    assert threads.count() >= 8
    assert set(threads.exclude(network="").values_list("network", flat=True)) == {"mastodon", "bluesky", "facebook"}
    assert Item.objects.filter(kind="watch", matched="Hôpital Nord").count() == 1
    assert Item.objects.count() == len(demo.ITEMS) + 1
    # Stored through store_page (the real path), and its way in removed: the clock reads no "demo" stream.
    assert not Stream.objects.exists()
    assert Note.objects.count() == 1 and SavedReply.objects.count() == 1
    assert set(Reply.objects.values_list("state", flat=True)) == {Reply.State.SENT, Reply.State.PENDING_APPROVAL}
    page = alice_client.get(reverse("inbox:list", args=[world.section.code])).content.decode()
    assert "prochaine AG" in page
    assert DEMO_EXTENSIONS.index("terrain.demo.inbox.load") == DEMO_EXTENSIONS.index("terrain.demo.atelier.load") + 1
