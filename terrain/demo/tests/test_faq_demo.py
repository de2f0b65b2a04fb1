"""The FAQ of the demonstration loads on a world like the demo's, and its pages work."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import faq as demo
from terrain.faq.models import Entry, Proposal
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_faq_loads_and_reaches_the_section(world, alice_client, bob_client):
    rachid = make_user("Rachid Haddad")
    official_add(structure=world.ud, user=rachid, role=OfficialRole.SECRETAIRE)
    world.ud.refresh_from_db()
    demo.load(
        SimpleNamespace(
            cooperatives={"ud": world.ud.cooperative, "hopital": world.private_coop},
            people={"rachid": rachid, "animatrice": world.alice, "membre": world.bob},
        )
    )
    assert Entry.objects.count() == len(demo.UD_ENTRIES) + len(demo.HOPITAL_ENTRIES)
    assert Proposal.objects.filter(status="pending").count() == 1
    page = bob_client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()
    assert "Combien coûte l’adhésion au syndicat ?" in page  # offered by the union départementale
    assert "Quand se réunit la section ?" in page
    assert alice_client.get(reverse("faq:proposals", args=[world.private_coop.code])).status_code == 200
