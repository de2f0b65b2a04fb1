"""My structures, as a tree under the ones where I hold a mandate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required
from terrain.structures.models import OfficialRole, StructureKind
from terrain.structures.services import official_add, structure_create, structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db
LIST = reverse("structures:list")


def _flatten(nodes, depth=0):
    for node in nodes:
        yield depth, node
        yield from _flatten(node.children, depth + 1)


@pytest.mark.outsider("structures:list")
def test_list_needs_sign_in_and_shows_nothing_to_an_outsider(world, client, charlie_client):
    assert_login_required(client.get(LIST))
    page = charlie_client.get(LIST)
    assert page.context["tree"] == []
    html = page.content.decode()
    assert "Vous n'êtes encore dans aucune structure." in html
    assert world.section.name not in html and world.ud.name not in html


def test_member_sees_only_their_structure(world, bob_client):
    tree = bob_client.get(LIST).context["tree"]
    assert [(d, n.structure, n.is_member, n.roles) for d, n in _flatten(tree)] == [(0, world.section, True, [])]


def test_official_sees_the_whole_tree_below(world):
    odile = make_user("Odile")
    official_add(structure=world.ud, user=odile, role=OfficialRole.SECRETAIRE)
    ul = structure_create(kind=StructureKind.UNION_LOCALE, name="UL Villeurbanne", parent=world.ud)
    client = Client()
    client.force_login(odile)
    flat = [(d, n.structure) for d, n in _flatten(client.get(LIST).context["tree"])]
    assert flat == [(0, world.ud), (1, world.syndicat), (2, world.section), (1, ul)]
    root = client.get(LIST).context["tree"][0]
    assert root.roles == ["Secrétaire"]


def test_tree_queries_do_not_grow_with_the_structures(world, alice, django_assert_max_num_queries):
    odile = make_user("Odile")
    official_add(structure=world.ud, user=odile, role=OfficialRole.SECRETAIRE)
    client = Client()
    client.force_login(odile)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx)

    baseline = count()
    for n in range(12):
        syndicat = structure_create(kind=StructureKind.SYNDICAT, name=f"Syndicat {n}", parent=world.ud)
        section = structure_create(kind=StructureKind.SECTION, name=f"Section {n}", parent=syndicat)
        structure_member_add(structure=section, user=odile)
        official_add(structure=syndicat, user=odile, role=OfficialRole.TRESORIER)
    assert count() == baseline
    with django_assert_max_num_queries(7):
        page = client.get(LIST)
    assert len(list(_flatten(page.context["tree"]))) == 3 + 24
