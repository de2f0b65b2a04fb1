"""The search box in the header and the results page, on a phone and a laptop (axe audited)."""

from __future__ import annotations

import pytest

from terrain.news.services import post_create
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_searching_from_the_header(world, live_server, request, screen):
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Négociations et salariés</p>")
    page = signed_in(request.getfixturevalue(screen), live_server, world.bob)
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Rechercher").first
    assert box.is_visible()
    box.fill("négocier salariés")
    box.press("Enter")
    page.locator(".search-result").first.wait_for()
    assert page.locator(".search-result mark").first.inner_text() == "Négociations"
    # The filters keep what was typed, without JavaScript's help.
    page.get_by_label("Du", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Rechercher").last.click()
    page.locator(".search-result").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
