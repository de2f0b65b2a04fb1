"""The demo tractothèque loads on a world like the demo's, and its pages work."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import tracts as demo
from terrain.structures.models import StructureKind
from terrain.structures.services import official_add, structure_create
from terrain.tests.factories import make_user
from terrain.tracts.models import Tract, TractOffer, TractReuse

pytestmark = pytest.mark.django_db


def test_demo_loads_and_its_pages_work(world, alice_client):
    magasin = structure_create(kind=StructureKind.SECTION, name="Section Magasin", parent=world.syndicat)
    people = defaultdict(lambda: make_user())
    people.update({"animatrice": world.alice, "membre": world.bob})
    official_add(structure=world.ud, user=people["rachid"], role="secretaire")
    for structure in (world.ud, world.syndicat, magasin, world.section):
        structure.refresh_from_db()
    demo_world = SimpleNamespace(
        structures={"ud": world.ud, "sante": world.syndicat, "hopital": world.section, "magasin": magasin},
        people=people,
    )
    demo.load(demo_world)
    first, second = Tract.objects.filter(cooperative=world.ud.cooperative).order_by("created_at")
    assert first.file.current_version.blob.read(4) == b"%PDF"
    assert TractOffer.objects.filter(tract=first, status="accepted").count() == 2
    assert TractOffer.objects.filter(tract=first, status="declined").count() == 1
    assert set(TractOffer.objects.filter(tract=second).values_list("status", flat=True)) == {"offered"}
    assert TractReuse.objects.count() == 4
    page = alice_client.get(reverse("tracts:home", args=[world.private_coop.code])).content.decode()
    assert first.title.replace("'", "&#x27;") in page and "Un repas chaud" in page
    offers = alice_client.get(reverse("tracts:offers", args=[world.private_coop.code])).content.decode()
    assert "Fortes chaleurs" in offers
