"""Fill-in templates in a browser: a member fills a letter on a phone and downloads its PDF; an
animateur's pages (upload, write with the editor, edit the questions) on a laptop. axe checks each page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.modeles.documents import DOCX, WRITTEN
from terrain.modeles.samples import MEETING_REPORT_HTML, meeting_request_docx
from terrain.modeles.services import template_create
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _letter(world):
    return template_create(
        cooperative=world.private_coop,
        name="Lettre de demande de réunion",
        kind="letter",
        description="À envoyer à la direction.",
        source=DOCX,
        content=meeting_request_docx(),
        by=world.alice,
    )


def test_a_member_fills_a_letter_and_downloads_its_pdf(world, live_server, phone):
    letter = _letter(world)
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + reverse("modeles:home", args=[world.private_coop.code]))
    page.get_by_role("link", name="Lettre de demande de réunion").click()
    page.wait_for_url("**" + reverse("modeles:fill", args=[letter.code]))
    for field in letter.field_list:
        box = page.locator(f"#id_v_{field.name}")
        box.fill("2026-12-08" if field.type == "date" else f"Réponse {field.name}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_animateur_pages_on_a_laptop(world, live_server, laptop):
    letter = _letter(world)
    template_create(
        cooperative=world.private_coop,
        name="Compte rendu",
        kind="other",
        description="",
        source=WRITTEN,
        content=MEETING_REPORT_HTML,
        by=world.alice,
    )
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("modeles:upload", args=[world.private_coop.code]))
    assert page.get_by_label("Document (.docx ou .odt)").is_visible()
    page.goto(live_server.url + reverse("modeles:write", args=[world.private_coop.code]))
    page.locator("trix-editor").wait_for()
    page.goto(live_server.url + reverse("modeles:edit", args=[letter.code]))
    page.get_by_label("Question posée pour {{ entreprise }}").fill("Nom de l'établissement")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url("**" + reverse("modeles:edit", args=[letter.code]))
    letter.refresh_from_db()
    assert {f.name: f.label for f in letter.field_list}["entreprise"] == "Nom de l'établissement"
