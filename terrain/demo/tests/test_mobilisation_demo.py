from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import mobilisation as demo
from terrain.mobilisation.models import Event, EventKind

pytestmark = pytest.mark.django_db


def test_demo_agenda_loads_once_and_its_pages_work(world, client):
    fake = SimpleNamespace(
        structures={"hopital": world.section, "sante": world.syndicat, "ud": world.ud},
        people={"animatrice": world.alice},
    )
    demo.load(fake)
    demo.load(fake)  # twice: nothing doubled
    assert Event.objects.filter(structure=world.section).count() == 4
    assert set(Event.objects.values_list("kind", flat=True)) == set(EventKind.values) - {"other"}
    assert Event.objects.filter(published=False).count() == 0
    slug = world.section.site.slug
    page = client.get(reverse("agenda:list", args=[slug])).content.decode()
    assert "Permanence syndicale" in page and "Grève des services de nuit" in page
    everything = client.get(reverse("mobilisation_map")).content.decode()
    assert "Rassemblement interprofessionnel" in everything and "Permanence juridique" in everything
