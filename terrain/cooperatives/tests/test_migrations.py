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
