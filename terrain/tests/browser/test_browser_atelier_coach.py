"""The writing coach in a real browser: under the text on a phone, beside it on a laptop, fixes in one tap."""

from __future__ import annotations

import pytest

from terrain.atelier.models import Message
from terrain.atelier.tests.compose_helpers import make_workshop
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_with_advice(context, live_server, world):
    shop = make_workshop(world)
    page = signed_in(context, live_server, shop.dana)
    page.goto(f"{live_server.url}/atelier/{shop.structure.code}/messages/nouveau/")
    text = page.get_by_label("Votre message")
    text.fill("Le CHSCT se réunit jeudi.")
    text.press_sequentially(" LA NAO COMMENCE")
    page.locator('[data-flag="shouting"] button').wait_for()
    return page, text


def test_on_a_phone_the_advice_is_right_under_the_text(world, live_server, phone):
    page, text = open_with_advice(phone, live_server, world)
    box = text.bounding_box()
    coach = page.locator("#composer-coach").bounding_box()
    # Only the field's help and the counters in between: a glance, not 2.3 screens.
    assert 0 <= coach["y"] - (box["y"] + box["height"]) < 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_on_a_laptop_the_advice_is_beside_the_text(world, live_server, laptop):
    page, text = open_with_advice(laptop, live_server, world)
    box = text.bounding_box()
    coach = page.locator("#composer-coach").bounding_box()
    assert coach["x"] >= box["x"] + box["width"]
    assert coach["y"] < box["y"] + box["height"] and coach["y"] + coach["height"] > box["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_mechanical_fix_takes_one_tap(world, live_server, phone):
    page, text = open_with_advice(phone, live_server, world)
    page.get_by_role("button", name="Remplacer par « comité d'hygiène et de sécurité (CHSCT) »").click()
    assert text.input_value() == "Le comité d'hygiène et de sécurité (CHSCT) se réunit jeudi. LA NAO COMMENCE"
    page.locator('[data-flag="shouting"] button').click()
    assert text.input_value() == "Le comité d'hygiène et de sécurité (CHSCT) se réunit jeudi. La NAO commence"
    page.wait_for_function("!document.querySelector('[data-flag=\"shouting\"]')")
    for _attempt in range(50):  # the autosave follows half a second after the change
        message = Message.objects.first()
        if message and message.body.endswith("La NAO commence"):
            break
        page.wait_for_timeout(100)
    message = Message.objects.get()
    assert message.body == "Le comité d'hygiène et de sécurité (CHSCT) se réunit jeudi. La NAO commence"
