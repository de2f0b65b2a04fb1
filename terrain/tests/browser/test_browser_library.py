"""The library in a real browser: several files at once with a progress bar each, the same
form without JavaScript, a file's page and the photothèque, on a phone and a laptop."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.library.models import File
from terrain.library.tests.helpers import odt_bytes, pdf_bytes
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _files(tmp_path) -> list[str]:
    made = {
        "compte-rendu.pdf": pdf_bytes(),
        "tract.odt": odt_bytes(),
        "manif.jpg": make_image_file("manif.jpg").read(),
        "faux.png": b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    }
    paths = []
    for name, data in made.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_several_files_with_progress_bars_on_a_phone(world, live_server, phone, tmp_path):
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + reverse("library:home", args=[world.private_coop.code]))
    page.locator("#id_files").set_input_files(_files(tmp_path))
    page.get_by_role("button", name="Envoyer").focus()
    page.keyboard.press("Enter")
    status = page.locator("[data-library-status]")
    status.filter(has_text="3 fichier(s) ajouté(s) sur 4").wait_for()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Envoyer"  # the focus stays
    assert page.locator("progress").count() == 4
    assert page.locator("progress").evaluate_all("bars => bars.every(b => b.value === 100)")
    assert "faux.png" in page.locator(".library-progress .error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert set(File.objects.values_list("name", flat=True)) == {"compte-rendu.pdf", "tract.odt", "manif.jpg"}

    page.get_by_role("link", name="Afficher les nouveaux fichiers").click()
    page.get_by_role("link", name="compte-rendu.pdf", exact=True).click()
    page.get_by_role("heading", name="Versions").wait_for()
    # Measured once the page's style sheets are in: the heading can be there before them.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(live_server.url + reverse("library:photos", args=[world.private_coop.code]))
    page.get_by_text("manif.jpg").wait_for()


def test_the_same_form_without_javascript(world, live_server, browser, tmp_path):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = signed_in(context, live_server, world.bob)
    page.goto(live_server.url + reverse("library:home", args=[world.private_coop.code]))
    page.locator("#id_files").set_input_files(_files(tmp_path))
    page.get_by_role("button", name="Envoyer").click()
    results = page.locator(".library-results")
    results.wait_for()
    assert results.inner_text().count("Accepté") == 3
    assert "faux.png" in results.inner_text() and "Refusé" in results.inner_text()
    context.close()


def test_a_photo_page_and_its_consent_on_a_laptop(world, live_server, laptop):
    from terrain.library.processing import version_process
    from terrain.library.services import file_upload, photo_update

    photo = file_upload(
        cooperative=world.private_coop, folder=None, upload=make_image_file("manif.jpg", size=(800, 600)), by=world.bob
    )
    version_process(version_id=photo.current_version_id)
    photo.refresh_from_db()
    photo_update(
        file=photo,
        credit="Camille",
        taken_on=None,
        place="Lyon",
        identifiable_people=True,
        consent="pending",
        by=world.bob,
    )
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("library:photos", args=[world.private_coop.code]))
    page.get_by_text("Personnes identifiables : consentement manquant").wait_for()
    page.get_by_role("link", name="manif.jpg", exact=True).click()
    page.get_by_role("link", name="Modifier les informations de la photo").click()
    page.get_by_label("Consentement des personnes photographiées").select_option("obtained")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Informations de la photo enregistrées.").wait_for()
    photo.refresh_from_db()
    assert photo.consent == File.Consent.OBTAINED
