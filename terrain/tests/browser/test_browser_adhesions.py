"""Join requests in a browser: a visitor fills in a site's join form on a phone (a mistake first,
then right), an official follows the request up on a laptop and on a phone; every page is
checked by axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.adhesions.models import JoinRequest
from terrain.public import services as site_services
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _site(world):
    site = site_services.site_save(
        structure=world.section, by=world.alice, slug="section-nord", join_text="Adhérez : ensemble on gagne."
    )
    return site_services.site_publish(site=site, by=world.alice)


def _fill(page, *, postal_code: str) -> None:
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Benali")
    page.get_by_role("textbox", name="E-mail").fill("nadia@example.org")
    page.get_by_label("Téléphone (facultatif)").fill("06 12 34 56 78")
    page.get_by_label("Employeur").fill("Clinique du Parc")
    page.get_by_label("Code postal de votre lieu de travail").fill(postal_code)
    page.get_by_label("Votre métier").fill("Aide-soignante")


def test_a_visitor_asks_to_join_on_a_phone(world, live_server, phone):
    site = _site(world)
    page = phone.new_page()
    page.goto(live_server.url + reverse("public:home", args=[site.slug]))
    page.get_by_role("link", name="Adhérer au syndicat").click()
    page.get_by_role("heading", name="Adhérer à Section Hôpital Nord").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _fill(page, postal_code="6900")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Donnez le code postal du lieu de travail : 5 chiffres").wait_for()
    page.get_by_text("Cochez la case pour donner votre accord").wait_for()
    assert page.get_by_label("Employeur").input_value() == "Clinique du Parc"
    page.get_by_label("Code postal de votre lieu de travail").fill("69003")
    page.get_by_label("J’accepte que le syndicat garde ces informations").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Merci, votre demande est envoyée").wait_for()
    assert JoinRequest.objects.get().structure == world.section


def test_the_instance_wide_form_on_a_laptop(world, live_server, laptop):
    _site(world)
    page = laptop.new_page()
    page.goto(live_server.url + reverse("adhesions_public:join_any"))
    page.get_by_label("Le syndicat auquel vous voulez adhérer").select_option("section-nord")
    _fill(page, postal_code="69003")
    page.get_by_label("Par téléphone").check()
    page.get_by_label("J’accepte que le syndicat garde ces informations").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Merci, votre demande est envoyée").wait_for()
    assert JoinRequest.objects.get().preferred_contact == "phone"


def _request(world, site):
    from terrain.adhesions.services import join_request_submit

    return join_request_submit(
        site=site,
        values={
            "first_name": "Nadia",
            "last_name": "Benali",
            "email": "nadia@example.org",
            "employer": "Clinique du Parc",
            "workplace_postal_code": "69003",
            "job": "Aide-soignante",
        },
    )


def test_an_official_follows_a_request_up_on_a_laptop(world, live_server, laptop):
    request = _request(world, _site(world))
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("adhesions:list", args=[world.section.code]))
    page.get_by_role("link", name="Nadia Benali").click()
    page.get_by_role("button", name="Contactée").click()
    page.get_by_text("Étape changée : Contactée.").wait_for()
    page.get_by_label("Responsable qui la suit").select_option(label="Alice Martin")
    page.get_by_role("button", name="Confier").click()
    page.get_by_text("Suivi confié.").wait_for()
    page.get_by_role("textbox", name="Note").fill("Appelée mardi, rendez-vous jeudi.")
    page.get_by_role("button", name="Ajouter la note").click()
    page.get_by_text("Appelée mardi, rendez-vous jeudi.").wait_for()
    page.get_by_role("link", name="Chiffres").click()
    page.get_by_role("heading", name="Chiffres des adhésions").wait_for()
    request.refresh_from_db()
    assert request.status == "contacted" and request.assignee == world.alice


def test_an_official_reads_the_pipeline_on_a_phone(world, live_server, phone):
    request = _request(world, _site(world))
    page = signed_in(phone, live_server, world.alice)
    page.goto(live_server.url + reverse("adhesions:list", args=[world.section.code]))
    page.get_by_role("link", name="Nadia Benali").wait_for()
    page.goto(live_server.url + reverse("adhesions:detail", args=[request.code]))
    page.get_by_role("button", name="Effacer les informations personnelles").click()
    page.get_by_text("Les informations personnelles et les notes de cette demande ont été effacées.").first.wait_for()
    request.refresh_from_db()
    assert request.erased_at is not None
