"""FAQ entries offered below are found by the members of the cooperatives below (kind
"faqoffered", ``SearchKind.reach``), and their search link opens them there (``faq:entry_open``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.cooperatives.tools import tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.faq.services import (
    SEARCH_KIND,
    SEARCH_KIND_OFFERED,
    entry_delete,
    entry_hide,
    entry_offer,
    entry_update,
    faq_entry_create,
)
from terrain.search.selectors import search_for
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create, structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db

WORD = "délégation"


def _all_tools() -> set[str]:
    return {t.key for t in tools()}


def _found(user, query=WORD):
    return [(r.document.kind, r.document.title, r.document.url) for r in search_for(user=user, query=query).results]


def _open(entry):
    return reverse("faq:entry_open", args=[entry.code])


@pytest.fixture
def eve(world):
    """A member of a section of another union départementale: unrelated to the Rhône's tree."""
    ud = structure_create(kind=StructureKind.UNION_DEPARTEMENTALE, name="Union départementale de l’Isère")
    syndicat = structure_create(kind=StructureKind.SYNDICAT, name="Syndicat de la métallurgie", parent=ud)
    section = structure_create(kind=StructureKind.SECTION, name="Section Grenoble", parent=syndicat)
    user = make_user("Eve Roux", email="eve@example.org")
    structure_member_add(structure=section, user=user)
    return user


def test_a_section_member_finds_an_entry_offered_by_the_ud_only(world, bob, dora, ud_entry):
    kept = faq_entry_create(
        cooperative=ud_entry.cooperative,
        theme=ud_entry.theme,
        question="Qui fixe la délégation au congrès ?",
        answer_html="<div>Le bureau.</div>",
        by=dora,
    )
    assert _found(bob) == []
    entry_offer(entry=ud_entry, offered=True, by=dora)
    assert _found(bob) == [(SEARCH_KIND_OFFERED, ud_entry.question, _open(ud_entry))]
    assert kept.question not in [title for _kind, title, _url in _found(bob)]
    # The UD's own members find both through the ordinary kind, each once.
    assert sorted(_found(dora)) == sorted(
        [
            (SEARCH_KIND, ud_entry.question, reverse("faq:entry", args=[ud_entry.cooperative.code, ud_entry.code])),
            (SEARCH_KIND, kept.question, reverse("faq:entry", args=[kept.cooperative.code, kept.code])),
        ]
    )


def test_the_offered_copy_follows_edits_withdrawal_and_deletion(world, bob, dora, ud_entry):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    entry_update(
        entry=ud_entry,
        version=1,
        question="Heures de délégation : combien ?",
        answer_html="<div>Selon l’effectif de l’entreprise.</div>",
        theme=ud_entry.theme,
        by=dora,
    )
    assert [title for _k, title, _u in _found(bob, "effectif")] == ["Heures de délégation : combien ?"]
    entry_offer(entry=ud_entry, offered=False, by=dora)
    assert _found(bob) == []
    assert _found(dora) != []  # still in its own cooperative's search
    entry_offer(entry=ud_entry, offered=True, by=dora)
    assert len(_found(bob)) == 1
    entry_delete(entry=ud_entry, by=dora)
    assert _found(bob) == [] and _found(dora) == []


def test_never_found_outside_the_tree_nor_upwards(world, alice, bob, charlie, dora, eve, entry, ud_entry):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    entry_offer(entry=entry, offered=True, by=alice)  # the section has nothing below it
    assert _found(eve) == [] and _found(charlie) == []
    assert _found(eve, "adhésion") == [] and _found(dora, "adhésion") == []  # never upwards
    assert len(_found(bob)) == 1


def test_the_faq_tool_off_in_the_members_cooperative_hides_it(world, alice, bob, dora, ud_entry):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools() - {"faq"})
    assert _found(bob) == []
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools())
    assert len(_found(bob)) == 1


def test_a_hidden_entry_is_still_found_and_opens(world, alice, bob, bob_client, dora, ud_entry):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    entry_hide(entry=ud_entry, cooperative=world.private_coop, hidden=True, by=alice)
    assert len(_found(bob)) == 1
    page = bob_client.get(_open(ud_entry), follow=True)
    assert page.status_code == 200 and ud_entry.question in page.content.decode()
    home = bob_client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()
    assert ud_entry.question not in home  # hiding takes it out of the list only


def test_the_search_page_links_to_the_open_view(world, bob_client, dora, ud_entry, django_assert_max_num_queries):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    with django_assert_max_num_queries(14):
        html = bob_client.get(reverse("search:results"), {"q": WORD}).content.decode()
    assert _open(ud_entry) in html and "Union départementale du Rhône" in html


@pytest.mark.outsider("faq:entry_open")
def test_the_open_view_redirects_where_the_entry_is_read(
    world, alice, client, bob_client, charlie_client, dora, dora_client, entry, ud_entry, eve
):
    # Not offered: only the UD's members open it.
    assert bob_client.get(_open(ud_entry)).status_code == 404
    assert dora_client.get(_open(ud_entry))["Location"] == reverse(
        "faq:entry", args=[ud_entry.cooperative.code, ud_entry.code]
    )
    entry_offer(entry=ud_entry, offered=True, by=dora)
    response = bob_client.get(_open(ud_entry))
    assert response["Location"] == reverse("faq:entry", args=[world.private_coop.code, ud_entry.code])
    assert bob_client.get(response["Location"]).status_code == 200
    # An own entry opens in its own cooperative.
    assert bob_client.get(_open(entry))["Location"] == reverse("faq:entry", args=[world.private_coop.code, entry.code])
    # Outsiders, the unrelated tree, the anonymous, upwards, bad codes: nothing.
    assert_refused(charlie_client.get(_open(ud_entry)))
    eve_client = type(client)()
    eve_client.force_login(eve)
    assert_refused(eve_client.get(_open(ud_entry)))
    assert_login_required(client.get(_open(ud_entry)))
    entry_offer(entry=entry, offered=True, by=alice)
    assert_refused(dora_client.get(_open(entry)))
    assert_refused(bob_client.get(reverse("faq:entry_open", args=["nope"])))
    # The FAQ turned off below, or the entry deleted: gone.
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools() - {"faq"})
    assert bob_client.get(_open(ud_entry)).status_code == 404
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled=_all_tools())
    entry_delete(entry=ud_entry, by=dora)
    assert bob_client.get(_open(ud_entry)).status_code == 404
