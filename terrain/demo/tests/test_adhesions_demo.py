"""The demo join requests load on a world like the demo's, and the pipeline and figures show them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.adhesions.models import JoinRequest
from terrain.demo import adhesions as demo

pytestmark = pytest.mark.django_db


def test_demo_requests_load_once_and_the_pages_show_them(world, alice_client):
    fake = SimpleNamespace(structures={"hopital": world.section}, people={})
    demo.load(fake)
    demo.load(fake)  # idempotent
    requests = JoinRequest.objects.filter(structure=world.section)
    assert requests.count() == 12
    assert set(requests.values_list("status", flat=True)) == {"new", "contacted", "met", "member", "declined", "lost"}
    assert requests.filter(erased_at__isnull=False).count() == 1
    page = alice_client.get(reverse("adhesions:list", args=[world.section.code])).content.decode()
    assert "Inès Haddad" in page
    figures = alice_client.get(reverse("adhesions:figures", args=[world.section.code])).content.decode()
    assert "adhesion-bar--" in figures
