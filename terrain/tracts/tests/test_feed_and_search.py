"""Tracts in the feed (published in the source, accepted in the receiver) and in the search."""

from __future__ import annotations

import datetime

from django.urls import reverse

from terrain.cooperatives.services import cooperative_set_tools
from terrain.feed.models import Notification
from terrain.search.models import SearchDocument
from terrain.tracts.models import TractOffer
from terrain.tracts.services import tract_create, tract_offer_decide, tract_publish

from .conftest import make_file


def _feed(client) -> str:
    return client.get(reverse("feed:home")).content.decode()


def test_published_and_accepted_tracts_are_in_the_members_feed(
    world, bob_client, alice, denise, ud_tract, section_tract
):
    html = _feed(bob_client)
    assert "La cantine de nuit" in html and reverse("tracts:detail", args=[section_tract.code]) in html
    assert "Tous en grève" not in html  # the department's, not offered yet
    tract_publish(tract=ud_tract, by=denise)
    offer = TractOffer.objects.get(tract=ud_tract, cooperative=world.private_coop)
    tract_offer_decide(offer=offer, accept=True, by=alice)
    html = _feed(bob_client)
    assert "Tous en grève" in html and reverse("tracts:detail", args=[offer.code]) in html
    assert "Union départementale du Rhône" in html  # where it comes from


def test_the_feed_reads_tracts_in_bulk(world, bob_client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coop = world.private_coop
    tract_create(cooperative=coop, file=make_file(coop), title="Un", date=datetime.date(2026, 1, 1), by=alice)
    with CaptureQueriesContext(connection) as one:
        _feed(bob_client)
    for i in range(6):
        tract_create(cooperative=coop, file=make_file(coop), title=f"T{i}", date=datetime.date(2026, 1, 1), by=alice)
    with CaptureQueriesContext(connection) as many:
        html = _feed(bob_client)
    assert "T5" in html
    assert len(many.captured_queries) == len(one.captured_queries)


def test_tool_off_hides_the_feed_items(world, bob_client, alice, section_tract):
    cooperative_set_tools(cooperative=world.private_coop, by=alice, enabled={"news"})
    assert "La cantine de nuit" not in _feed(bob_client)


def test_the_offer_notification_leads_to_the_offers(world, alice_client, denise, ud_tract):
    tract_publish(tract=ud_tract, by=denise)
    note = Notification.objects.get(user=world.alice)
    assert note.target_url == reverse("tracts:offers", args=[world.private_coop.code])
    assert alice_client.get(note.target_url).status_code == 200


def test_search_documents_carry_themes_and_follow_the_decision(world, alice, denise, ud_tract):
    doc = SearchDocument.objects.get(kind="tract")
    assert doc.url == reverse("tracts:detail", args=[ud_tract.code])
    assert "Salaires" in doc.body and "Union départementale du Rhône" in doc.body
    tract_publish(tract=ud_tract, by=denise)
    offer = TractOffer.objects.get(tract=ud_tract, cooperative=world.private_coop)
    assert not SearchDocument.objects.filter(kind="tractreceived").exists()  # offered is not accepted
    tract_offer_decide(offer=offer, accept=True, by=alice)
    received = SearchDocument.objects.get(kind="tractreceived")
    assert (received.cooperative_id, received.url) == (
        world.private_coop.pk,
        reverse("tracts:detail", args=[offer.code]),
    )


def test_a_file_removed_from_the_library_takes_its_tracts_out_of_feed_search_and_pages(
    world, bob_client, alice, section_tract
):
    from terrain.library.services import file_delete

    assert SearchDocument.objects.filter(kind="tract").exists()
    file_delete(file=section_tract.file, by=alice)
    # In the same transaction as the deletion, through the library's on_file_removed.
    assert not SearchDocument.objects.filter(kind="tract").exists()
    assert "La cantine de nuit" not in _feed(bob_client)
    assert bob_client.get(reverse("tracts:detail", args=[section_tract.code])).status_code == 404
    assert (
        "La cantine de nuit"
        not in bob_client.get(reverse("tracts:home", args=[world.private_coop.code])).content.decode()
    )
