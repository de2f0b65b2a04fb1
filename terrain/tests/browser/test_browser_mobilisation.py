"""The agenda in a browser: an official announces and publishes an event on a laptop and checks
the list on a phone; a visitor finds it on a phone and says "I'll be there"; every page checked
by axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.mobilisation import services
from terrain.mobilisation.models import Event, EventKind
from terrain.public import services as site_services
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOCAL = "%Y-%m-%dT%H:%M"


def _site(world):
    site = site_services.site_save(structure=world.section, by=world.alice, slug="hopital-nord", commune="Lyon")
    return site_services.site_publish(site=site, by=world.alice)


def _at(days: int, hour: int):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_an_official_announces_and_publishes_an_event(world, live_server, laptop, phone):
    _site(world)
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("public_manage:edit", args=[world.section.code]))
    page.get_by_role("link", name="Événements et permanences").click()
    page.get_by_role("link", name="Nouvel événement").click()
    page.get_by_label("Type").select_option("demonstration")
    page.get_by_label("Titre").fill("Manifestation pour l’hôpital")
    page.get_by_label("Début").fill(_at(4, 14).strftime(LOCAL))
    page.locator("#id_ends_at").fill(_at(4, 12).strftime(LOCAL))
    page.get_by_label("Lieu").fill("Parvis de l’hôpital")
    page.get_by_role("button", name="Enregistrer").click()
    # Refused in French next to the field, and what was typed is kept.
    page.get_by_text("La fin doit venir après le début.").wait_for()
    assert page.get_by_label("Lieu").input_value() == "Parvis de l’hôpital"
    assert not Event.objects.exists()
    page.locator("#id_ends_at").fill(_at(4, 17).strftime(LOCAL))
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L’événement est enregistré comme brouillon").wait_for()
    page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_text("L’événement est publié.").wait_for()
    assert page.get_by_role("link", name="Écrire un message sur cet événement").is_visible()
    assert Event.objects.get().published

    small = signed_in(phone, live_server, world.alice)
    small.goto(live_server.url + reverse("mobilisation:list", args=[world.section.code]))
    assert small.get_by_role("link", name="Manifestation pour l’hôpital").is_visible()
    small.get_by_role("link", name="Manifestation pour l’hôpital").click()
    small.get_by_role("button", name="Annuler l’événement").wait_for()


def test_a_visitor_finds_the_event_and_says_they_will_come(world, live_server, phone, laptop):
    site = _site(world)
    start = _at(2, 14)
    services.event_publish(
        event=services.event_create(
            structure=world.section,
            by=world.alice,
            kind=EventKind.PERMANENCE,
            title="Permanence du mardi",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            repeat_until=start.date() + timedelta(weeks=6),
            place_name="Local syndical",
            commune="Lyon",
            postal_code="69004",
            latitude=45.77,
            longitude=4.83,
        ),
        published=True,
        by=world.alice,
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{site.slug}/")
    page.get_by_role("heading", name="Prochaines permanences et mobilisations").wait_for()
    page.get_by_role("link", name="Tout l’agenda").click()
    assert page.get_by_role("heading", name="Agenda", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Permanence du mardi").first.click()
    page.get_by_text("Chaque semaine jusqu’au").wait_for()
    assert page.get_by_role("link", name="Ajouter à mon agenda (.ics)").is_visible()
    page.get_by_role("button", name="J’y serai").click()
    page.get_by_text("Merci : vous êtes compté·e.").wait_for()
    assert page.get_by_text("1 personne a dit qu’elle viendrait.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    wide = laptop.new_page()
    wide.goto(f"{live_server.url}/agenda/?departement=69")
    wide.get_by_role("heading", name="Agenda des mobilisations").wait_for()
    assert wide.get_by_role("link", name="Permanence du mardi").first.is_visible()
