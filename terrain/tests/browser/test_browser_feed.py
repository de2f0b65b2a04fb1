"""The open feed receives new posts by itself, and reactions and comments work in place."""

from __future__ import annotations

import pytest

from terrain.news.services import post_create
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_posts_appear_without_reloading(world, live_server, phone, settings):
    settings.FEED_POLL_SECONDS = 1
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Premier message</div>")
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + "/")
    page.get_by_text("Premier message").wait_for()

    post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Nouveau sans recharger</div>")
    page.get_by_text("Nouveau sans recharger").wait_for(timeout=8000)
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<div>Encore un</div>")
    page.get_by_text("Encore un").wait_for(timeout=8000)

    html = page.content()
    assert html.count("Nouveau sans recharger") == 1
    assert html.index("Encore un") < html.index("Nouveau sans recharger") < html.index("Premier message")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_react_and_comment_in_place(world, live_server, phone):
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Réunion jeudi</div>")
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + "/")
    card = page.locator("article.post").first

    card.get_by_role("button", name="J'aime").click()
    card.locator('button[value="like"][aria-pressed="true"]').wait_for()

    card.get_by_label("Votre commentaire").fill("J'y serai")
    card.get_by_role("button", name="Envoyer").click()
    card.get_by_text("J'y serai").wait_for()
    assert card.get_by_label("Votre commentaire").input_value() == ""
    assert page.url == live_server.url + "/"
