"""Petitions in a real browser: a visitor signs on a phone with the keyboard and confirms from
the e-mail; an official opens a petition and finds its kit on a laptop. axe checks every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from terrain.petitions import services
from terrain.petitions.models import Signature
from terrain.public.services import site_publish, site_save
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def petition(world):
    site = site_save(structure=world.section, by=world.alice, slug="section-exemple", tagline="Ensemble")
    site_publish(site=site, by=world.alice)
    petition = services.petition_save(
        structure=world.section,
        by=world.alice,
        title="Des remplaçant·es pour les congés",
        text="Nous demandons à la direction de remplacer chaque congé.",
        goal=100,
        image=make_image_file("piquet.png", fmt="PNG", size=(600, 300)),
        image_alt="Piquet de grève devant l'hôpital",
    )
    return services.petition_move(petition=petition, to="open", by=world.alice)


def test_a_visitor_signs_on_a_phone_and_confirms(world, live_server, phone, petition, settings):
    settings.SITE_URL = live_server.url
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/section-exemple/petitions/{petition.code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Inès")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Cherif")
    page.get_by_role("textbox", name="Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Commentaire (facultatif)").fill("Pour nos collègues de nuit")
    page.get_by_label("Afficher sur la page mon prénom").check()
    page.get_by_role("button", name="Signer", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Encore une étape : consultez vos e-mails").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    link = re.search(r"https?://\S+/confirmer/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Oui, je signe").click()
    page.get_by_role("heading", name="Merci : votre signature compte").wait_for()
    assert Signature.objects.get().confirmed_at is not None
    page.goto(f"{live_server.url}/s/section-exemple/petitions/{petition.code}/")
    page.get_by_text("Pour nos collègues de nuit").wait_for()
    assert "Inès C." in page.content() and "Cherif" not in page.content()


def test_the_counter_and_the_list_on_a_laptop(live_server, laptop, petition):
    page = laptop.new_page()
    page.goto(f"{live_server.url}/s/section-exemple/petitions/")
    page.get_by_role("link", name=petition.title).wait_for()
    page.goto(f"{live_server.url}/s/section-exemple/petitions/{petition.code}/compteur/")
    page.get_by_role("link", name=re.compile("Signer la pétition")).wait_for()


def test_an_official_opens_a_petition_and_finds_its_kit_on_a_laptop(world, live_server, laptop, petition):
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("petitions:list", args=[world.section.code]))
    page.get_by_role("link", name="Nouvelle pétition").click()
    page.get_by_label("Titre").fill("Pour une crèche d'entreprise")
    page.get_by_label("Texte").fill("Nous voulons une crèche.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Ouvrir la pétition").click()
    page.get_by_text("Le compteur sur un autre site").wait_for()
    assert "&lt;iframe" in page.content()
    page.get_by_role("link", name="Écrire un message pour les réseaux et les relais").click()
    page.wait_for_url(re.compile("/atelier/"))
    assert page.locator("#id_title").input_value() == "Pour une crèche d'entreprise"


def test_an_official_s_list_on_a_phone(world, live_server, phone, petition):
    page = signed_in(phone, live_server, world.alice)
    page.goto(live_server.url + reverse("petitions:list", args=[world.section.code]))
    page.get_by_role("link", name=petition.title).wait_for()
    page.goto(live_server.url + reverse("petitions:detail", args=[petition.code]))
    page.get_by_role("heading", name=petition.title).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
