"""A structure offers a template to the cooperatives of the structures below it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.modeles.documents import WRITTEN
from terrain.modeles.samples import MEETING_REPORT_HTML
from terrain.modeles.services import template_create, template_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def union_report(world, alice):
    """A template of the union (the section's parent), offered to the structures below."""
    return template_create(
        cooperative=world.syndicat.cooperative,
        name="Compte rendu fédéral",
        kind="other",
        description="Le modèle commun.",
        source=WRITTEN,
        content=MEETING_REPORT_HTML,
        by=alice,
        offered_below=True,
    )


def _answers(template) -> dict:
    answers = {f"v_{f.name}": "Texte" for f in template.field_list if f.type != "date"}
    return answers | {f"v_{f.name}": "2026-12-08" for f in template.field_list if f.type == "date"}


def test_a_section_member_fills_a_template_offered_by_the_union(world, bob_client, union_report):
    section_coop = world.private_coop
    listing = bob_client.get(reverse("modeles:home", args=[section_coop.code])).content.decode()
    url = reverse("modeles:offered_fill", args=[section_coop.code, union_report.code])
    assert url in listing and "Syndicat de la santé" in listing
    page = bob_client.get(url).content.decode()
    assert reverse("modeles:edit", args=[union_report.code]) not in page  # used here, changed there
    response = bob_client.post(url, _answers(union_report) | {"format": "pdf"})
    assert response.content.startswith(b"%PDF")
    # Not a member of the union's own cooperative: its direct address stays hidden.
    assert bob_client.get(reverse("modeles:fill", args=[union_report.code])).status_code == 404


def test_withdrawn_or_never_offered_templates_are_not_reachable(world, alice, bob_client, union_report):
    url = reverse("modeles:offered_fill", args=[world.private_coop.code, union_report.code])
    template_update(
        template=union_report,
        name=union_report.name,
        kind=union_report.kind,
        description="",
        fields=union_report.field_list,
        offered_below=False,
        by=alice,
    )
    assert bob_client.get(url).status_code == 404
    listing = bob_client.get(reverse("modeles:home", args=[world.private_coop.code])).content.decode()
    assert "Compte rendu fédéral" not in listing


def test_a_template_is_not_offered_upwards_nor_to_open_cooperatives(world, bob_client, alice):
    section_template = template_create(
        cooperative=world.private_coop,
        name="Modèle de section",
        kind="other",
        description="",
        source=WRITTEN,
        content=MEETING_REPORT_HTML,
        by=alice,
        offered_below=True,
    )
    for coop in (world.syndicat.cooperative, world.open_coop):
        url = reverse("modeles:offered_fill", args=[coop.code, section_template.code])
        assert bob_client.get(url).status_code == 404


@pytest.mark.outsider("modeles:offered_fill")
def test_outsiders_cannot_fill_an_offered_template(world, charlie_client, client, union_report):
    url = reverse("modeles:offered_fill", args=[world.private_coop.code, union_report.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.post(url, _answers(union_report) | {"format": "pdf"}))
    assert_login_required(client.get(url))
