"""The relay page on a phone: the personal line typed goes with the share button pressed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from terrain.relays.models import Relay
from terrain.relays.tests.conftest import publish_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_button_posts_the_line_typed_and_opens_the_network(world, live_server, phone):
    message = publish_message(world.section, author=world.alice, link="https://exemple.org/tract")
    client = Client()
    client.force_login(world.bob)
    phone.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    # The network's composer is outside: answer for it instead of leaving the machine.
    phone.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp"))
    page = phone.new_page()
    page.goto(f"{live_server.url}/relais/m/{message.code}/")
    page.get_by_label("Votre mot personnel (facultatif)").fill("Venez jeudi")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Partager sur WhatsApp").click()
    popup = opened.value
    popup.wait_for_url("https://wa.me/**")
    assert parse_qs(urlsplit(popup.url).query)["text"][0].startswith("Venez jeudi\n\n")
    assert Relay.objects.filter(user=world.bob, network="whatsapp").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
