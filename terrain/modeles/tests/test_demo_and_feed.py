"""The demo's templates load and can be filled; a new template shows in the members' feed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import modeles as demo
from terrain.modeles.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def test_the_demo_templates_load_labelled_and_fill(world, bob_client):
    demo.load(SimpleNamespace(cooperatives={"hopital": world.private_coop}, people={"animatrice": world.alice}))
    templates = {t.source: t for t in DocumentTemplate.objects.all()}
    assert set(templates) == {"docx", "odt", "written"}
    tract = templates["odt"]
    assert {f.name: f.label for f in tract.field_list}["date_greve"] == "Date de la grève"
    answers = {f"v_{f.name}": "Texte" for f in tract.field_list if f.type != "date"} | {"v_date_greve": "2026-12-10"}
    response = bob_client.post(reverse("modeles:fill", args=[tract.code]), answers | {"format": "pdf"})
    assert response.content.startswith(b"%PDF")


def test_a_new_template_is_in_the_members_feed(world, bob_client, letter):
    page = bob_client.get(reverse("feed:home")).content.decode()
    assert reverse("modeles:fill", args=[letter.code]) in page
    assert "Lettre de demande de réunion" in page
