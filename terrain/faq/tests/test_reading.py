"""Members read the FAQ: themes with their questions, a table of contents, an entry's permanent page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.faq.services import entry_delete, faq_entry_create, theme_create

pytestmark = pytest.mark.django_db


def _home(world):
    return reverse("faq:home", args=[world.private_coop.code])


def test_member_reads_themes_entries_and_toc(world, bob_client, entry, theme):
    response = bob_client.get(_home(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#theme-{theme.code}"' in html  # the table of contents
    assert "Combien coûte l’adhésion ?" in html
    assert "<strong>1 %</strong>" in html
    assert reverse("faq:entry", args=[world.private_coop.code, entry.code]) in html
    # A member proposes; only facilitators add.
    assert reverse("faq:proposal_create", args=[world.private_coop.code]) in html
    assert reverse("faq:entry_create", args=[world.private_coop.code]) not in html


def test_home_reads_in_a_bounded_number_of_queries(world, bob_client, theme, django_assert_max_num_queries):
    for i in range(3):
        other = theme_create(cooperative=world.private_coop, name=f"Thème {i}", by=world.alice)
        for j in range(4):
            faq_entry_create(
                cooperative=world.private_coop,
                theme=other,
                question=f"Q{i}-{j}",
                answer_html="<div>R</div>",
                by=world.alice,
            )
    bob_client.get(_home(world))  # warm the session and the menu
    with django_assert_max_num_queries(14):
        response = bob_client.get(_home(world))
    assert response.content.decode().count('class="faq-entry"') == 12


@pytest.mark.outsider("faq:home")
def test_outsiders_do_not_see_the_faq(world, charlie_client, client):
    assert_refused(charlie_client.get(_home(world)))
    assert_refused(charlie_client.get(reverse("faq:home", args=[world.open_coop.code])), hidden=False)
    assert_login_required(client.get(_home(world)))


def test_a_disabled_faq_has_no_pages(world, alice, bob_client, entry):
    cooperative_set_tools(cooperative=world.private_coop, enabled={"news"}, by=alice)
    assert bob_client.get(_home(world)).status_code == 404
    assert bob_client.get(reverse("faq:entry", args=[world.private_coop.code, entry.code])).status_code == 404


def test_entry_has_a_permanent_page(world, bob_client, entry):
    response = bob_client.get(reverse("faq:entry", args=[world.private_coop.code, entry.code]))
    assert response.status_code == 200
    assert "Combien coûte l’adhésion ?" in response.content.decode()
    # Members cannot edit.
    assert reverse("faq:entry_edit", args=[entry.code]) not in response.content.decode()


@pytest.mark.outsider("faq:entry")
def test_outsiders_do_not_see_an_entry(world, charlie_client, client, entry):
    url = reverse("faq:entry", args=[world.private_coop.code, entry.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))
    # Named through another cooperative the viewer belongs to: still hidden.
    assert_refused(charlie_client.get(reverse("faq:entry", args=[world.open_coop.code, entry.code])), hidden=False)


def test_entry_read_through_another_cooperative_is_hidden(world, bob_client, entry):
    assert bob_client.get(reverse("faq:entry", args=[world.open_coop.code, entry.code])).status_code == 404


def test_a_deleted_entry_is_gone(world, alice, bob_client, entry):
    entry_delete(entry=entry, by=alice)
    assert bob_client.get(reverse("faq:entry", args=[world.private_coop.code, entry.code])).status_code == 404
    assert "Combien coûte" not in bob_client.get(_home(world)).content.decode()
