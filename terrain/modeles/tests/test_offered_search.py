"""Templates offered below are found by the members of the cooperatives below (kind
"modeleoffered", ``SearchKind.reach``), and their search link opens them there (``modeles:open``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.cooperatives.tools import tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.modeles.documents import WRITTEN
from terrain.modeles.samples import MEETING_REPORT_HTML
from terrain.modeles.services import SEARCH_KIND, SEARCH_KIND_OFFERED, template_create, template_delete, template_update
from terrain.search.selectors import search_for
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create, structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db

WORD = "fédéral"


def _all_tools() -> set[str]:
    return {t.key for t in tools()}


def _found(user, query=WORD):
    return [(r.document.kind, r.document.title, r.document.url) for r in search_for(user=user, query=query).results]


def _open(template):
    return reverse("modeles:open", args=[template.code])


def _offer(template, offered: bool, by):
    return template_update(
        template=template,
        name=template.name,
        kind=template.kind,
        description=template.description,
        fields=template.field_list,
        offered_below=offered,
        by=by,
    )


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


@pytest.fixture
def eve(world):
    """A member of a section of another union départementale: unrelated to the Rhône's tree."""
    ud = structure_create(kind=StructureKind.UNION_DEPARTEMENTALE, name="Union départementale de l’Isère")
    syndicat = structure_create(kind=StructureKind.SYNDICAT, name="Syndicat de la métallurgie", parent=ud)
    section = structure_create(kind=StructureKind.SECTION, name="Section Grenoble", parent=syndicat)
    user = make_user("Eve Roux", email="eve@example.org")
    structure_member_add(structure=section, user=user)
    return user


@pytest.fixture
def syndicat_member(world):
    user = make_user("Farid Benali", email="farid@example.org")
    structure_member_add(structure=world.syndicat, user=user)
    return user


def test_a_section_member_finds_an_offered_template_only(world, alice, bob, syndicat_member, union_report):
    assert _found(bob) == [(SEARCH_KIND_OFFERED, union_report.name, _open(union_report))]
    # The union's own members find it once, through the ordinary kind.
    assert _found(syndicat_member) == [
        (SEARCH_KIND, union_report.name, reverse("modeles:fill", args=[union_report.code]))
    ]
    kept = template_create(
        cooperative=world.syndicat.cooperative,
        name="Rapport fédéral interne",
        kind="other",
        description="",
        source=WRITTEN,
        content=MEETING_REPORT_HTML,
        by=alice,
    )
    assert kept.name not in [title for _k, title, _u in _found(bob)]
    assert len(_found(syndicat_member)) == 2


def test_the_offered_copy_follows_edits_withdrawal_and_deletion(world, alice, bob, union_report):
    template_update(
        template=union_report,
        name="Compte rendu fédéral de congrès",
        kind=union_report.kind,
        description="Pour le congrès.",
        fields=union_report.field_list,
        by=alice,
    )
    assert [title for _k, title, _u in _found(bob, "congrès")] == ["Compte rendu fédéral de congrès"]
    _offer(union_report, False, alice)
    assert _found(bob) == []
    _offer(union_report, True, alice)
    assert len(_found(bob)) == 1
    template_delete(template=union_report, by=alice)
    assert _found(bob) == []


def test_never_found_outside_the_tree_and_not_where_the_tool_is_off(world, alice, bob, charlie, eve, union_report):
    assert _found(eve) == [] and _found(charlie) == []
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools() - {"modeles"})
    assert _found(bob) == []
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools())
    assert len(_found(bob)) == 1


@pytest.mark.outsider("modeles:open")
def test_the_open_view_leads_to_the_form_where_it_is_filled(
    world, alice, client, bob_client, charlie_client, eve, syndicat_member, union_report
):
    response = bob_client.get(_open(union_report))
    assert response["Location"] == reverse("modeles:offered_fill", args=[world.private_coop.code, union_report.code])
    assert bob_client.get(response["Location"]).status_code == 200
    member_client = Client()
    member_client.force_login(syndicat_member)
    assert member_client.get(_open(union_report))["Location"] == reverse("modeles:fill", args=[union_report.code])
    assert_refused(charlie_client.get(_open(union_report)))
    eve_client = Client()
    eve_client.force_login(eve)
    assert_refused(eve_client.get(_open(union_report)))
    assert_login_required(client.get(_open(union_report)))
    assert_refused(bob_client.get(reverse("modeles:open", args=["nope"])))
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools() - {"modeles"})
    assert bob_client.get(_open(union_report)).status_code == 404
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools())
    _offer(union_report, False, alice)
    assert bob_client.get(_open(union_report)).status_code == 404
    assert member_client.get(_open(union_report)).status_code == 302
