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


def test_the_feed_reads_the_templates_in_bulk(world, alice, bob_client, letter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from terrain.modeles.documents import WRITTEN
    from terrain.modeles.samples import MEETING_REPORT_HTML
    from terrain.modeles.services import template_create

    url = reverse("feed:home")
    bob_client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as one:
        bob_client.get(url)
    for index in range(3):
        template_create(
            cooperative=world.private_coop,
            name=f"Compte rendu {index}",
            kind="other",
            description="",
            source=WRITTEN,
            content=MEETING_REPORT_HTML,
            by=alice,
        )
    bob_client.get(url)
    with CaptureQueriesContext(connection) as many:
        page = bob_client.get(url).content.decode()
    assert "Compte rendu 2" in page and "Compte rendu 0" in page
    assert page.index("Compte rendu 2") < page.index("Compte rendu 0")  # newest first
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_demo_union_offers_a_template_found_below(world, bob):
    from terrain.search.selectors import search_for

    world.ud.refresh_from_db()
    demo.load(
        SimpleNamespace(
            cooperatives={"hopital": world.private_coop, "ud": world.ud.cooperative},
            people={"animatrice": world.alice, "rachid": world.alice},
        )
    )
    found = search_for(user=bob, query="compte rendu type").results
    assert [r.document.kind for r in found] == ["modeleoffered"]
