"""The demo library loads on a world like the demo's, and its pages work."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import library as demo
from terrain.library.models import File, Folder
from terrain.library.selectors import photo_shareable

pytestmark = pytest.mark.django_db


def test_demo_library_loads_and_its_pages_work(world, bob_client):
    demo.load(
        SimpleNamespace(structures={"hopital": world.section}, people={"animatrice": world.alice, "membre": world.bob})
    )
    assert Folder.objects.filter(cooperative=world.private_coop).count() == 3
    assert File.objects.filter(cooperative=world.private_coop).count() == 5
    rally = File.objects.get(name__startswith="Rassemblement")
    assert not photo_shareable(rally)
    assert bob_client.get(reverse("library:home", args=[world.private_coop.code])).status_code == 200
    assert "Rassemblement" in bob_client.get(reverse("library:photos", args=[world.private_coop.code])).content.decode()
