"""The locator in a browser: suggestions as one types and the results on a phone and a laptop, the
embeddable copy, and the officials' site form refusing a postal code that matches no town; every
page checked by axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.places.dataset import sample_records
from terrain.places.services import communes_load
from terrain.places.tests.conftest import SAMPLE
from terrain.public import services as site_services
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _places(world):
    communes_load(records=sample_records(SAMPLE))
    for name, lat, lon in (
        ("Syndicat santé de Lyon", 45.746048, 4.84175),
        ("Syndicat de Villeurbanne", 45.766295, 4.879662),
    ):
        structure = structure_create(kind=StructureKind.SYNDICAT, name=name)
        site = site_services.site_save(
            structure=structure,
            by=world.alice,
            latitude=lat,
            longitude=lon,
            postal_code="69007",
            commune="Lyon",
            email="contact@example.org",
            hours="Mardi 14 h – 18 h",
        )
        site_services.site_publish(site=site, by=world.alice)


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_a_visitor_finds_the_nearest_union(world, live_server, request, screen):
    _places(world)
    context = request.getfixturevalue(screen)
    page = context.new_page()
    page.goto(live_server.url + reverse("places:locator"))
    assert page.get_by_role("heading", name="Trouvez le syndicat le plus proche").is_visible()
    field = page.get_by_label("Code postal ou commune")
    field.press_sequentially("st eti", delay=30)
    suggestion = page.get_by_role("link", name="Saint-Étienne (42000)")
    suggestion.wait_for()
    field.fill("")
    field.press_sequentially("6900", delay=30)
    page.get_by_role("link", name="Lyon 3e Arrondissement (69003)").wait_for()
    page.get_by_role("link", name="Lyon 3e Arrondissement (69003)").click()
    page.get_by_role("heading", name="Les plus proches de Lyon 3e Arrondissement (69003)").wait_for()
    cards = page.locator("#locator-results > li")
    assert cards.count() == 2
    assert "Syndicat santé de Lyon" in cards.nth(0).inner_text() and "1,7 km" in cards.nth(0).inner_text()
    # Without the suggestions: typed and submitted, an unknown code says so.
    field = page.get_by_label("Code postal ou commune")
    field.fill("69004")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="Aucune commune n’a le code postal 69004").wait_for()
    if screen == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_embed_opens_results_in_a_new_tab(world, live_server, laptop):
    _places(world)
    page = laptop.new_page()
    page.goto(live_server.url + reverse("places:embed") + "?q=69003")
    link = page.get_by_role("link", name="Syndicat santé de Lyon")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
    assert page.locator(".locator-header").count() == 0


def test_an_official_is_told_when_the_town_does_not_match(world, live_server, phone):
    communes_load(records=sample_records(SAMPLE))
    page = signed_in(phone, live_server, world.alice)
    page.goto(live_server.url + reverse("public_manage:edit", args=[world.section.code]))
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Commune", exact=True).fill("Grenoble")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.get_by_text("Le code postal 69003 dessert Lyon 3e Arrondissement").wait_for()
    page.get_by_label("Commune", exact=True).fill("Lyon")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.get_by_text("Le site est enregistré.").wait_for()
    world.section.refresh_from_db()
    assert world.section.site.latitude == 45.760292
