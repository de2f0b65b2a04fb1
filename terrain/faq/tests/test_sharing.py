"""A structure's FAQ entries offered to the cooperatives of the structures below it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_refused
from terrain.faq.selectors import faq_entries_visible_in
from terrain.faq.services import entry_offer, entry_update

pytestmark = pytest.mark.django_db


def test_offered_entries_reach_the_structures_below_live(world, dora, dora_client, bob, bob_client, entry, ud_entry):
    ud_coop = world.ud.cooperative
    response = dora_client.post(reverse("faq:entry_offer", args=[ud_entry.code]), {"offered": "1"})
    assert response.status_code == 302
    ud_entry.refresh_from_db()
    assert ud_entry.offered_at is not None

    assert set(faq_entries_visible_in(world.private_coop, bob)) == {entry, ud_entry}
    world.syndicat.refresh_from_db()
    assert list(faq_entries_visible_in(world.syndicat.cooperative, bob)) == []  # bob is not a member there
    assert list(faq_entries_visible_in(ud_coop, bob)) == []

    home = bob_client.get(
        reverse("faq:home", args=[world.private_coop.code]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "FAQ de Union départementale du Rhône" in home
    assert "Qu’est-ce qu’une heure de délégation ?" in home
    page = bob_client.get(reverse("faq:entry", args=[world.private_coop.code, ud_entry.code]))
    assert page.status_code == 200
    assert reverse("faq:entry_edit", args=[ud_entry.code]) not in page.content.decode()  # read-only

    # Live: an edit at the source shows below at once.
    entry_update(
        entry=ud_entry,
        version=1,
        question="Heures de délégation : combien ?",
        answer_html="<div>Selon l’effectif.</div>",
        theme=ud_entry.theme,
        by=dora,
    )
    home = bob_client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()
    assert "Heures de délégation : combien ?" in home


def test_not_offered_is_not_seen_below(world, bob_client, ud_entry):
    assert bob_client.get(reverse("faq:entry", args=[world.private_coop.code, ud_entry.code])).status_code == 404
    assert "délégation" not in bob_client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()


def test_never_offered_upwards_nor_sideways(world, alice, dora, entry, ud_entry):
    entry_offer(entry=entry, offered=True, by=alice)  # the section has nothing below
    assert list(faq_entries_visible_in(world.ud.cooperative, dora)) == [ud_entry]
    entry_offer(entry=ud_entry, offered=True, by=dora)
    assert ud_entry not in faq_entries_visible_in(world.open_coop, alice)  # an open cooperative has no structure


def test_facilitators_below_hide_an_offered_entry(world, alice_client, bob, bob_client, dora, ud_entry, entry):
    entry_offer(entry=ud_entry, offered=True, by=dora)
    url = reverse("faq:entry_hide", args=[world.private_coop.code, ud_entry.code])
    assert bob_client.post(url, {"hidden": "1"}).status_code == 403
    assert alice_client.post(url, {"hidden": "1"}).status_code == 302
    assert list(faq_entries_visible_in(world.private_coop, bob)) == [entry]
    assert "délégation" not in bob_client.get(reverse("faq:home", args=[world.private_coop.code])).content.decode()
    # Out of the list only: its page still opens (e.g. from a search result).
    assert bob_client.get(reverse("faq:entry", args=[world.private_coop.code, ud_entry.code])).status_code == 200
    # The facilitators still find it in their list of themes, to show it again.
    themes = alice_client.get(reverse("faq:themes", args=[world.private_coop.code])).content.decode()
    assert "Qu’est-ce qu’une heure de délégation ?" in themes
    alice_client.post(url, {"hidden": "0"})
    assert set(faq_entries_visible_in(world.private_coop, bob)) == {entry, ud_entry}


@pytest.mark.outsider("faq:entry_offer")
@pytest.mark.outsider("faq:entry_hide")
def test_outsiders_cannot_offer_or_hide(world, charlie_client, alice_client, dora, ud_entry, entry):
    assert_refused(charlie_client.post(reverse("faq:entry_offer", args=[ud_entry.code]), {"offered": "1"}))
    # alice animates the section, not the union départementale: she cannot offer its entry.
    assert_refused(alice_client.post(reverse("faq:entry_offer", args=[ud_entry.code]), {"offered": "1"}))
    ud_entry.refresh_from_db()
    assert ud_entry.offered_at is None
    entry_offer(entry=ud_entry, offered=True, by=dora)
    assert_refused(
        charlie_client.post(reverse("faq:entry_hide", args=[world.private_coop.code, ud_entry.code]), {"hidden": "1"})
    )
    # Nor may an offered entry be edited from below.
    edit = reverse("faq:entry_edit", args=[ud_entry.code])
    assert_refused(alice_client.post(edit, {"question": "X", "answer": "R", "theme": ud_entry.theme_id, "version": 1}))
    ud_entry.refresh_from_db()
    assert ud_entry.question == "Qu’est-ce qu’une heure de délégation ?"


def test_a_facilitator_below_shows_a_hidden_entry_again_from_its_page(world, alice_client, dora, ud_entry):
    from terrain.faq.services import entry_hide

    entry_offer(entry=ud_entry, offered=True, by=dora)
    entry_hide(entry=ud_entry, cooperative=world.private_coop, hidden=True, by=world.alice)
    page = alice_client.get(
        reverse("faq:entry", args=[world.private_coop.code, ud_entry.code]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert page.status_code == 200
    assert "La montrer à nouveau dans notre FAQ" in page.content.decode()
