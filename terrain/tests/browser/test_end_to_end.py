"""The foundation's acceptance scenario, in a real browser, in French.

Alice posts with an image in her section's private cooperative; Bob, a member,
has his feed open on a phone and sees the post arrive without reloading;
Charlie, an outsider, cannot reach the post, its image or the cooperative by URL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from terrain.news.models import Post
from terrain.tests.browser.conftest import sign_in
from terrain.tests.browser.pages import signed_in as _session_page
from terrain.tests.factories import make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_alice_posts_with_an_image_bob_sees_it_live_charlie_is_refused(
    world, live_server, phone, laptop, browser, settings, tmp_path
):
    settings.FEED_POLL_SECONDS = 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "assemblee.jpg"
    photo.write_bytes(make_image_file(size=(800, 600)).read())

    # Bob opens his feed on a phone and leaves it open.
    bob_page = _session_page(phone, live_server, world.bob)
    bob_page.goto(live_server.url + "/")
    assert bob_page.locator("html").get_attribute("lang") == "fr"
    bob_page.get_by_role("heading", name="Fil d'activité").wait_for()

    # Alice signs in through the form and posts in the section's cooperative.
    alice_page = laptop.new_page()
    sign_in(alice_page, live_server.url, "alice@example.org", "motdepasse-solide-1")
    alice_page.goto(f"{live_server.url}/cooperatives/{world.private_coop.code}/")
    alice_page.get_by_role("link", name="Écrire une publication").click()
    alice_page.wait_for_url("**/publier/")  # its scripts run: the label then names the editor
    alice_page.get_by_label("Votre message").click()
    alice_page.keyboard.type("Assemblée générale jeudi à 18 h, salle du personnel.")
    alice_page.locator("details.composer__images summary").click()
    alice_page.set_input_files("[data-composer-files]", str(photo))
    alice_page.locator("[data-composer-list] input[type=text]").first.fill("Affiche de l'assemblée générale")
    alice_page.get_by_role("button", name="Publier").click()
    alice_page.wait_for_url(f"**/cooperatives/{world.private_coop.code}/")
    alice_page.get_by_text("Assemblée générale jeudi").first.wait_for()
    alice_page.screenshot(path=str(SCREENSHOTS / "alice-cooperative.png"), full_page=True)

    post = Post.objects.get()
    image = post.images.get()
    assert image.alt_text == "Affiche de l'assemblée générale"

    # Bob's feed receives it without a reload, image and description included.
    bob_page.get_by_text("Assemblée générale jeudi").first.wait_for(timeout=10_000)
    bob_page.locator(f'img[alt="{image.alt_text}"]').first.wait_for()
    assert bob_page.evaluate("document.documentElement.scrollWidth") <= 360
    bob_page.screenshot(path=str(SCREENSHOTS / "bob-feed-phone.png"), full_page=True)

    # Charlie, signed in but outside the section, gets "not found" everywhere.
    charlie_context = browser.new_context(locale="fr-FR")
    charlie_page = _session_page(charlie_context, live_server, world.charlie)
    for path in (
        f"/actualites/{post.code}/",
        f"/actualites/images/{image.code}/",
        f"/cooperatives/{world.private_coop.code}/",
    ):
        response = charlie_page.goto(live_server.url + path)
        assert response.status == 404, path
    charlie_page.goto(live_server.url + "/")
    assert charlie_page.get_by_text("Assemblée générale jeudi").count() == 0
    charlie_context.close()
