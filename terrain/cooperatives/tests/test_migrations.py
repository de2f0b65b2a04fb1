"""The data migration that fills ``Cooperative.search_text`` for cooperatives that existed before it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from terrain.cooperatives.models import Cooperative
from terrain.cooperatives.selectors import cooperatives_to_discover
from terrain.cooperatives.services import cooperative_create_open

migration = importlib.import_module("terrain.cooperatives.migrations.0002_cooperative_search_text")


@pytest.mark.django_db
def test_backfill_fills_every_blank_search_text(world, monkeypatch):
    for n in range(4):
        cooperative_create_open(name=f"Atelier n°{n}", by=world.alice, description="Été")
    Cooperative.objects.update(search_text="")
    assert not cooperatives_to_discover(world.charlie, "egalite").exists()
    monkeypatch.setattr(migration, "BATCH", 3)  # several batches and a last, partial one

    migration.backfill_search_text(apps, None)

    assert not Cooperative.objects.filter(search_text="").exists()
    world.open_coop.refresh_from_db()
    assert world.open_coop.search_text == "egalite professionnelle agir ensemble."
    assert list(cooperatives_to_discover(world.charlie, "egalite")) == [world.open_coop]
    world.private_coop.refresh_from_db()
    assert world.private_coop.search_text == "section hopital nord"


@pytest.mark.django_db
def test_backfill_marks_each_cooperative_newest_broadcast_activity(world):
    from terrain.feed.models import Activity
    from terrain.news.services import comment_create, post_create

    last_activity = importlib.import_module("terrain.cooperatives.migrations.0003_cooperative_last_activity")
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Un</p>")
    comment_create(post=post, author=world.bob, text="Un commentaire n'est pas diffusé")
    Cooperative.objects.update(last_activity_id=None)

    last_activity.backfill_last_activity(apps, None)

    world.open_coop.refresh_from_db()
    newest = Activity.objects.filter(cooperative=world.open_coop, broadcast=True).order_by("-id").first()
    assert world.open_coop.last_activity_id == newest.pk
    fresh = cooperative_create_open(name="Sans nouvelles", by=world.alice)
    assert fresh.last_activity_id is None
