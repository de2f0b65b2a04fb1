from __future__ import annotations

from pathlib import Path

import pytest

from terrain.places.dataset import sample_records
from terrain.places.services import communes_load
from terrain.public import services as site_services
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create

SAMPLE = Path(__file__).with_name("communes_sample.csv")


@pytest.fixture
def communes(db):
    """26 real communes (Lyon and its arrondissements, the Saint-Étienne and Saint-Denis, L'Île-Rousse...)."""
    return communes_load(records=sample_records(SAMPLE))


@pytest.fixture
def place_site(world):
    """``place_site(name, lat, lon, kind=..., parent=..., published=True)``: a structure with a located site."""

    def make(name, latitude, longitude, *, kind=StructureKind.SYNDICAT, parent=None, published=True, **values):
        structure = structure_create(kind=kind, name=name, parent=parent)
        site = site_services.site_save(
            structure=structure, by=world.alice, latitude=latitude, longitude=longitude, **values
        )
        if published:
            site = site_services.site_publish(site=site, by=world.alice)
        return site

    return make
