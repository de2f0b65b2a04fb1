"""The relay page on a phone: the personal line typed goes into the share links as you type."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from terrain.relays.tests.conftest import publish_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_personal_line_fills_the_links_as_you_type(world, live_server, phone):
    message = publish_message(world.section, author=world.alice, link="https://exemple.org/tract")
    client = Client()
    client.force_login(world.bob)
    phone.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = phone.new_page()
    page.goto(f"{live_server.url}/relais/m/{message.code}/")
    page.get_by_label("Votre mot personnel (facultatif)").fill("Venez jeudi")
    href = page.get_by_role("link", name="Partager sur WhatsApp").get_attribute("href")
    assert parse_qs(urlsplit(href).query) == {"ligne": ["Venez jeudi"]}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
