"""The public agenda: only what is published, on published sites; cacheable; counted once."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.mobilisation import services
from terrain.mobilisation.models import Attendance, EventKind
from terrain.mobilisation.tests.conftest import in_days, make_event
from terrain.public import registry
from terrain.public import services as site_services

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _urls(site, event) -> list[str]:
    return [
        reverse("agenda:event", args=[site.slug, event.code]),
        reverse("agenda:ics", args=[site.slug, event.code]),
    ]


def test_the_agenda_lists_published_events_only(client, world, site):
    make_event(world, title="Manifestation publiée")
    make_event(world, title="Brouillon secret", published=False)
    page = client.get(reverse("agenda:list", args=[site.slug])).content.decode()
    assert "Manifestation publiée" in page
    assert "Brouillon secret" not in page
    assert "<script" not in page


@pytest.mark.outsider("agenda:event", "agenda:ics", "agenda:image", "agenda:attend", "agenda:list")
def test_drafts_and_unpublished_sites_are_404_for_everyone(client, charlie_client, alice_client, world, site):
    draft = make_event(world, published=False, title="Brouillon secret")
    for someone in (client, charlie_client, alice_client):
        for url in _urls(site, draft):
            assert someone.get(url).status_code == 404
        assert someone.post(reverse("agenda:attend", args=[site.slug, draft.code])).status_code == 404
    for path in ("/sitemap.xml", reverse("public:feed", args=[site.slug]), reverse("public:home", args=[site.slug])):
        assert "Brouillon secret" not in client.get(path).content.decode()
    assert "Brouillon secret" not in client.get(reverse("mobilisation_map")).content.decode()

    published = make_event(world, title="Manifestation publiée")
    site_services.site_unpublish(site=site, by=world.alice)
    for url in [*_urls(site, published), reverse("agenda:list", args=[site.slug])]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("agenda:attend", args=[site.slug, published.code])).status_code == 404
    assert "Manifestation publiée" not in client.get(reverse("mobilisation_map")).content.decode()


def test_an_event_of_another_structure_is_not_found_under_this_site(client, world, site):
    other = make_event(world, structure=world.syndicat)
    assert client.get(reverse("agenda:event", args=[site.slug, other.code])).status_code == 404


def test_the_event_page_shows_date_place_organisers_count_and_card(client, world, site):
    event = make_event(
        world,
        place_name="Place Bellecour",
        commune="Lyon",
        co_organisers="l'union locale",
        latitude=45.7578,
        longitude=4.832,
    )
    response = client.get(reverse("agenda:event", args=[site.slug, event.code]))
    page = response.content.decode()
    assert "Place Bellecour" in page
    assert "Section Hôpital Nord" in page and "union locale" in page
    assert 'property="og:title" content="Manifestation pour les salaires"' in page
    assert 'data-lat="45.757800"' in page
    assert reverse("agenda:ics", args=[site.slug, event.code]) in page
    assert "0 personne" in page
    assert "csrfmiddlewaretoken" not in page
    assert "public" in response["Cache-Control"]
    again = client.get(reverse("agenda:event", args=[site.slug, event.code]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_cancelled_event_stays_visible_marked(client, world, site):
    event = make_event(world)
    services.event_cancel(event=event, cancelled=True, reason="Interdite par la préfecture", by=world.alice)
    page = client.get(reverse("agenda:event", args=[site.slug, event.code])).content.decode()
    assert "Interdite par la préfecture" in page
    assert "annulé" in page.lower()
    assert reverse("agenda:attend", args=[site.slug, event.code]) not in page
    assert "Manifestation pour les salaires" in client.get(reverse("agenda:list", args=[site.slug])).content.decode()


def test_ill_be_there_counts_once_per_client(client, world, site):
    event = make_event(world)
    url = reverse("agenda:attend", args=[site.slug, event.code])
    first = client.post(url, REMOTE_ADDR="203.0.113.7")
    assert first.status_code == 302 and first["Location"].endswith("?merci=1")
    again = client.post(url, REMOTE_ADDR="203.0.113.7")
    assert again["Location"].endswith("?merci=deja")
    client.post(url, REMOTE_ADDR="203.0.113.8")
    event.refresh_from_db()
    assert event.attending == 2
    assert Attendance.objects.count() == 2
    assert not Attendance.objects.filter(client_key__contains="203.0.113").exists()
    page = client.get(reverse("agenda:event", args=[site.slug, event.code]) + "?merci=1").content.decode()
    assert "2 personnes" in page


def test_a_bot_filling_the_honeypot_is_not_counted(client, world, site):
    event = make_event(world)
    response = client.post(reverse("agenda:attend", args=[site.slug, event.code]), {"website": "http://spam"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.attending == 0


def test_a_flood_from_one_client_is_answered_politely(client, world, site, settings):
    events = [make_event(world, title=f"Manif {n}") for n in range(3)]
    from terrain.mobilisation import views

    settings.PUBLIC_PAGE_MAX_AGE = 300
    limit = views.ATTEND_LIMIT
    views.ATTEND_LIMIT = 2
    try:
        statuses = [
            client.post(reverse("agenda:attend", args=[site.slug, e.code]), REMOTE_ADDR="198.51.100.1").status_code
            for e in events
        ]
    finally:
        views.ATTEND_LIMIT = limit
    assert statuses == [302, 302, 429]
    assert sum(e.attending for e in type(events[0]).objects.all()) == 2


def test_the_agenda_filters_by_kind(client, world, site):
    make_event(world, title="Grande grève", kind=EventKind.STRIKE)
    make_event(world, title="Débat sur les retraites", kind=EventKind.MEETING)
    page = client.get(reverse("agenda:list", args=[site.slug]) + "?type=strike").content.decode()
    assert "Grande grève" in page and "Débat sur les retraites" not in page


def test_home_block_menu_sitemap_and_feed(client, world, site):
    start = in_days(1, 14)
    make_event(
        world,
        kind=EventKind.PERMANENCE,
        title="Permanence du mardi",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        repeat_until=start.date() + timedelta(weeks=8),
    )
    event = make_event(world, title="Grande manifestation")
    home = client.get(reverse("public:home", args=[site.slug])).content.decode()
    assert "Prochaines permanences" in home
    assert home.count("Permanence du mardi") == 3
    assert "Grande manifestation" in home
    assert reverse("agenda:list", args=[site.slug]) in home  # the menu
    assert reverse("agenda:event", args=[site.slug, event.code]) in client.get("/sitemap.xml").content.decode()
    feed = ET.fromstring(client.get(reverse("public:feed", args=[site.slug])).content)  # noqa: S314
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert "Grande manifestation" in titles


def test_locator_facts_give_the_next_drop_in_hours_in_one_query(world, site):
    other = site_services.site_publish(
        site=site_services.site_save(structure=world.syndicat, by=world.alice, slug="syndicat-sante"), by=world.alice
    )
    for structure, day in ((world.section, 2), (world.syndicat, 4)):
        start = in_days(day, 9)
        make_event(
            world,
            structure=structure,
            kind=EventKind.PERMANENCE,
            title="Permanence",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            repeat_until=start.date() + timedelta(weeks=4),
        )
    with CaptureQueriesContext(connection) as queries:
        facts = registry.locator_facts([site, other], keys=["agenda"])
    assert len(queries) == 1
    assert set(facts) == {site.pk, other.pk}
    assert facts[site.pk][0].startswith("Prochaine permanence")
    assert "09:00" in facts[site.pk][0] or "9:00" in facts[site.pk][0]


def test_the_instance_agenda_filters_by_departement(client, world, site):
    make_event(world, title="Manif à Lyon", postal_code="69002", commune="Lyon")
    make_event(world, title="Manif à Marseille", postal_code="13001", commune="Marseille")
    page = client.get(reverse("mobilisation_map") + "?departement=13").content.decode()
    assert "Manif à Marseille" in page and "Manif à Lyon" not in page
    response = client.get(reverse("mobilisation_map") + "?departement=x%3Cy")
    assert response.status_code == 400
    assert "Manif à Lyon" in response.content.decode()


def test_the_instance_agenda_reads_in_few_queries(client, world, site, django_assert_max_num_queries):
    for n in range(15):
        make_event(world, title=f"Manif {n}", latitude=45.7, longitude=4.8)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("mobilisation_map"))
    assert response.content.decode().count("data-lat=") == 15
    # The page's own queries, and the site's menu: at most one per tool (does it have anything to show?).
    from terrain.public import registry

    with django_assert_max_num_queries(3 + len(registry.sections())):
        client.get(reverse("agenda:list", args=[site.slug]))


def test_an_event_gone_by_counts_nobody(client, world, site):
    from terrain.mobilisation.models import Event

    event = make_event(world)
    Event.objects.filter(pk=event.pk).update(starts_at=in_days(-3), ends_at=in_days(-3) + timedelta(hours=2))
    response = client.post(reverse("agenda:attend", args=[site.slug, event.code]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.attending == 0
    page = client.get(reverse("agenda:event", args=[site.slug, event.code])).content.decode()
    assert "Passé" in page
    assert reverse("agenda:attend", args=[site.slug, event.code]) not in page


def test_locator_facts_leave_out_past_cancelled_and_unpublished_drop_ins(world, site):
    """The plain SQL of ``next_permanences`` keeps the rows the agenda keeps."""
    past = in_days(-3, 9)
    gone = make_event(world, kind=EventKind.PERMANENCE, title="Passée")
    type(gone).objects.filter(pk=gone.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    make_event(world, kind=EventKind.PERMANENCE, title="Brouillon", published=False)
    make_event(world, kind=EventKind.DEMONSTRATION, title="Manifestation")
    cancelled = make_event(world, kind=EventKind.PERMANENCE, title="Annulée")
    type(cancelled).objects.filter(pk=cancelled.pk).update(cancelled=True)
    assert registry.locator_facts([site], keys=["agenda"]) == {}
    # Began two weeks ago, every week for a month: its next date is still to come.
    weekly = in_days(-14, 9)
    type(gone).objects.filter(pk=gone.pk).update(
        starts_at=weekly, ends_at=weekly + timedelta(hours=2), repeat_until=(weekly + timedelta(weeks=4)).date()
    )
    assert set(registry.locator_facts([site], keys=["agenda"])) == {site.pk}
