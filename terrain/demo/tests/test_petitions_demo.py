"""The demo petition loads on a world like the demo's (site or not), twice without harm, and its page works."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import petitions as demo
from terrain.petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db


def test_demo_petition_loads_and_its_page_works(world, client):
    world_like = SimpleNamespace(structures={"hopital": world.section}, people={"animatrice": world.alice})
    demo.load(world_like)
    demo.load(world_like)
    petition = Petition.objects.get()
    assert petition.state == "open" and petition.signature_count == demo.SIGNATURES
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == demo.SIGNATURES
    page = client.get(reverse("petitions_public:detail", args=[world.section.site.slug, petition.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"<strong>{demo.SIGNATURES}</strong>" in text
    assert "Infirmière de nuit depuis douze ans" in text  # shown: the signer chose it
    assert "Soutien total" not in text  # a comment whose signer did not
    assert "@example.org" not in text
