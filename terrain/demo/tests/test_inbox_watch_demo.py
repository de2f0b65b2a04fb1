"""The demo watch loads on a world like the demo's, twice without harm, and its page shows what it found."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.demo import inbox_watch as demo
from terrain.inbox.models import Item, Stream, Watch

pytestmark = pytest.mark.django_db


def test_demo_watch_loads_once_and_reads_nothing_now(world, alice_client):
    world_like = SimpleNamespace(structures={"hopital": world.section}, people={"animatrice": world.alice})
    demo.load(world_like)
    demo.load(world_like)
    watch = Watch.objects.get()
    assert watch.term_list == [world.section.name, "CHU Nord", "#grève"]
    assert Item.objects.filter(kind="watch").count() == len(demo.FOUND)
    assert Item.objects.get(remote_id="demo-2").matched == world.section.name
    assert not Stream.objects.filter(next_at__lte=timezone.now()).exists()  # no fetch from the demo
    page = alice_client.get(reverse("inbox_watch:list", args=[world.section.code]))
    assert page.status_code == 200
    assert demo.FEED in page.content.decode()
