"""Keyboard use, labels on every field, and the English interface, in a real browser."""

from __future__ import annotations

import pytest

from terrain.news.services import post_create
from terrain.tests.browser.pages import signed_in as _session_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED_FIELDS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(el => el.offsetParent !== null || el.getClientRects().length)
  .filter(el => {
    if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label') || el.title);
    return !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
  })
  .map(el => el.outerHTML.slice(0, 120))
"""


def test_sign_in_with_the_keyboard_only(world, live_server, phone):
    page = phone.new_page()
    page.goto(f"{live_server.url}/aide/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(f"{live_server.url}/compte/connexion/")
    # The e-mail field has the focus as the page opens.
    assert page.evaluate("document.activeElement.type") == "email"
    page.keyboard.type("bob@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "password"
    page.keyboard.type("motdepasse-solide-1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", name="Fil d'activité").wait_for()


def test_every_field_and_button_has_a_name(world, live_server, laptop):
    post = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Bonjour</p>")
    page = _session_page(laptop, live_server, world.alice)
    paths = [
        "/",
        "/cooperatives/",
        "/cooperatives/nouvelle/",
        f"/cooperatives/{world.open_coop.code}/",
        f"/cooperatives/{world.open_coop.code}/membres/",
        f"/actualites/{post.code}/",
        "/structures/",
        f"/structures/{world.section.code}/",
        "/notifications/",
        "/fil/reglages/",
        "/compte/profil/",
        "/aide/",
    ]
    problems = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        missing = page.evaluate(UNLABELLED_FIELDS)
        if missing:
            problems[path] = missing
    assert not problems, problems


def test_the_interface_switches_to_english(world, live_server, phone):
    page = _session_page(phone, live_server, world.bob)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.get_by_role("heading", name="Activity feed").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/cooperatives/")
    page.get_by_role("heading", name="Cooperatives", exact=True).wait_for()
    assert "Coopératives" not in page.locator("main").inner_text()
