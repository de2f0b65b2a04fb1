"""A structure's public site in a browser: an official sets it up on a laptop, a visitor reads it
on a phone with JavaScript off; every page checked by axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.networks.base import AccountData, Content
from terrain.networks.registry import get_connector
from terrain.public.models import Site
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_sets_up_and_publishes_the_site(world, live_server, laptop):
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("structures:detail", args=[world.section.code]))
    page.get_by_role("link", name="Site public").click()
    page.locator("#id_slug").fill("hopital-nord")  # labelled "Adresse *"
    page.get_by_label("Accroche").fill("Les syndiqué·es de l’hôpital")
    page.get_by_label("Qui nous sommes").fill("Nous défendons les plannings et les salaires.")
    page.get_by_label("Horaires d’ouverture").fill("Mardi, 14 h – 18 h")
    page.get_by_label("Couleur").fill("#ffdd00")
    page.get_by_role("button", name="Enregistrer").click()
    # Refused in French next to the field, and what was typed is kept.
    page.get_by_text("Un texte blanc sur cette couleur se lit mal").wait_for()
    assert page.get_by_label("Accroche").input_value() == "Les syndiqué·es de l’hôpital"
    assert not Site.objects.exists()
    page.get_by_label("Couleur").fill("#1d4e89")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le site est enregistré.").wait_for()
    page.get_by_role("button", name="Publier le site").click()
    page.get_by_text("Le site est public").first.wait_for()
    assert Site.objects.get().published


def test_a_visitor_reads_the_site_on_a_phone_without_javascript(world, live_server, browser):
    from terrain.public import services

    site = services.site_save(
        structure=world.section,
        by=world.alice,
        slug="hopital-nord",
        tagline="De jour comme de nuit",
        about="Nous défendons les plannings.",
        hours="Mardi, 14 h – 18 h",
        email="contact@exemple.org",
    )
    services.site_publish(site=site, by=world.alice)
    account = world.section.connected_accounts.get(network="site")
    get_connector("site").publish(
        AccountData(api_base="", secrets={}, remote_id=account.remote_id),
        Content(text="La direction paiera les heures de nuit.", title="Heures de nuit : victoire", marker="m1"),
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/hopital-nord/")
    assert page.get_by_role("heading", name="Section Hôpital Nord").first.is_visible()
    assert page.get_by_text("Mardi, 14 h – 18 h").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Heures de nuit : victoire").click()
    page.get_by_text("La direction paiera les heures de nuit.").wait_for()
    page.get_by_role("link", name="Toutes nos actualités").click()
    assert page.get_by_role("heading", name="Nos actualités").is_visible()
    context.close()
