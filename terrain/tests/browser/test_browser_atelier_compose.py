"""The composer in a real browser on a 360 px phone: counters and the coach follow the typing."""

from __future__ import annotations

import pytest

from terrain.atelier.models import Message
from terrain.atelier.tests.compose_helpers import make_workshop
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_see_the_bluesky_counter_and_the_coach_fix_and_submit(world, live_server, phone):
    shop = make_workshop(world)
    page = signed_in(phone, live_server, shop.dana)
    page.goto(f"{live_server.url}/atelier/{shop.structure.code}/messages/nouveau/")

    page.get_by_label("Bluesky · section-nord.bluesky").check()
    text = page.get_by_label("Votre message")
    long_text = "Le CSE se réunit jeudi pour parler des salaires et des horaires de nuit. " * 5
    text.fill(long_text.strip())
    text.press("End")
    page.keyboard.type(" Venez !")

    counter = page.locator('[data-network="bluesky"]')
    counter.locator("text=de trop").wait_for()
    assert "atelier-counter--over" in counter.get_attribute("class")
    acronym = page.locator('[data-flag="acronym"]')
    acronym.wait_for()
    assert "CSE" in acronym.inner_text()
    page.get_by_text("Enregistré à").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    message = Message.objects.get()
    assert message.status == Message.Status.DRAFT

    text.fill("")
    text.press_sequentially("Le comité social et économique se réunit jeudi à midi. Venez !")
    # A locator, not wait_for_function: its polling evaluates a string, which the CSP refuses.
    page.locator('[data-flag="acronym"]').wait_for(state="detached")
    assert "atelier-counter--over" not in counter.get_attribute("class")

    page.get_by_role("button", name="Soumettre pour validation").click()
    page.wait_for_url(f"**/atelier/messages/{message.code}/")
    message.refresh_from_db()
    assert message.status == Message.Status.SUBMITTED
    assert message.body == "Le comité social et économique se réunit jeudi à midi. Venez !"
    assert Message.objects.count() == 1


def test_an_approver_saves_a_draft_without_a_date_and_gets_the_coach_on_a_network_s_own_text(world, live_server, phone):
    """The approver's composer also holds "When to publish": an empty day must not stop the
    autosave nor "Save the draft". A text of Bluesky's own gets its advice in its preview."""
    shop = make_workshop(world)
    page = signed_in(phone, live_server, shop.eve)
    page.goto(f"{live_server.url}/atelier/{shop.structure.code}/messages/nouveau/")
    assert page.get_by_label("Jour").input_value() == ""

    page.get_by_label("Bluesky · section-nord.bluesky").check()
    page.get_by_label("Votre message").fill("Le comité social et économique se réunit jeudi. Venez")
    page.get_by_label("Votre message").press_sequentially(" !")
    page.get_by_text("Enregistré à").wait_for()
    page.get_by_text("Adapter pour Bluesky").click()
    page.get_by_label("Texte pour Bluesky").press_sequentially("LA NAO COMMENCE JEUDI")
    preview = page.locator(".atelier-preview--bluesky")
    preview.get_by_text("Conseils sur le texte pour Bluesky").wait_for()
    assert preview.locator('[data-flag="shouting"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Enregistrer le brouillon").last.click()
    page.wait_for_url("**/modifier/")
    message = Message.objects.get()
    assert message.status == Message.Status.DRAFT
    assert message.variants.get().body == "LA NAO COMMENCE JEUDI"
