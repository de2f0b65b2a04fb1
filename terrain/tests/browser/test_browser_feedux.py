"""A cooperative's page and the post editor on a 360 px phone: the member's menu within the first
screen, a light reading page, and the editor's toolbar in French, working."""

from __future__ import annotations

import pytest

from terrain.news.models import Post
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cooperative_page_keeps_the_member_menu_and_the_news_in_the_first_screen(world, live_server, phone):
    page = signed_in(phone, live_server, world.bob)
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(f"{live_server.url}/cooperatives/{world.open_coop.code}/")

    header = page.locator("header.coop-hero").bounding_box()
    assert header["height"] <= 140, header  # picture, name, who may join and the member's menu
    menu = page.get_by_text("Ma participation")
    assert menu.bounding_box()["y"] + menu.bounding_box()["height"] <= 740
    write = page.get_by_role("link", name="Écrire une publication").bounding_box()
    assert write["y"] + write["height"] <= 740  # and the news start in the first screen
    assert not [url for url in scripts if "trix" in url]  # reading loads no editor

    menu.click()
    page.get_by_role("button", name="Mettre en sourdine dans mon fil").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_editor_speaks_french_and_its_toolbar_works(world, live_server, phone):
    page = signed_in(phone, live_server, world.bob)
    page.goto(f"{live_server.url}/cooperatives/{world.open_coop.code}/")
    page.get_by_role("link", name="Écrire une publication").click()
    # Until its scripts have run, the label names the plain text field (composer.js moves it).
    page.wait_for_url("**/publier/")

    page.get_by_label("Votre message").click()
    page.get_by_role("button", name="Gras").click()
    page.keyboard.type("Grève jeudi")
    page.get_by_role("button", name="Lien").click()
    address = page.get_by_placeholder("Saisissez une adresse web…")
    address.wait_for()
    address.fill("https://example.org/greve")
    page.locator('input[type=button][value="Lien"]').click()
    assert page.locator("trix-toolbar").count() == 1
    assert not page.get_by_role("button", name="Attach Files").count()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"**/cooperatives/{world.open_coop.code}/")

    body = Post.objects.get().body_html
    assert "<strong>" in body and "https://example.org/greve" in body


def test_writing_from_the_feed_and_a_phone_gets_a_small_picture(world, live_server, phone, tmp_path):
    photo = tmp_path / "affiche.jpg"
    photo.write_bytes(make_image_file(size=(2000, 1500)).read())
    page = signed_in(phone, live_server, world.bob)
    images = []
    page.on("request", lambda request: images.append(request.url) if request.resource_type == "image" else None)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Écrire une publication").click()
    page.wait_for_url("**/publier/")

    page.get_by_label("Publier dans").select_option(label=world.open_coop.name)
    page.get_by_label("Votre message").click()
    page.keyboard.type("Depuis le fil")
    page.get_by_text("Ajouter des images (facultatif, 10 au maximum)").click()
    page.set_input_files("[data-composer-files]", str(photo))
    page.locator("[data-composer-list] input[type=text]").first.fill("L'affiche")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_text("Depuis le fil").first.wait_for()

    post = Post.objects.get()
    assert post.cooperative == world.open_coop and post.author == world.bob
    picture = page.locator('img[alt="L\\\'affiche"]').first
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    # 360 px at two device pixels per point: the 720 px copy, not the 2000 px original.
    assert picture.evaluate("img => img.currentSrc").endswith("?w=720")
    assert not [url for url in images if "/actualites/images/" in url and "?w=" not in url]
