"""The inbox's figures and crisis room in a real browser: an official on a phone reads the figures,
edits the holding statement with the keyboard, opens the composer with it and closes the crisis.
axe checks every page. Controls are found by their place, not their words: the French of these
pages comes at integration."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.inbox.crisis import crisis_check
from terrain.inbox.models import Crisis
from terrain.inbox.tests.crisis_helpers import heat, thread
from terrain.inbox.tone import Tone
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def crisis(world):
    now = timezone.now() - timedelta(minutes=5)
    thread(world.section, at=now - timedelta(days=2), replied_after=timedelta(minutes=40))
    heat(world.section, at=now - timedelta(minutes=50), n=12, tone=Tone.HOSTILE, text="Un très long commentaire " * 8)
    (opened,) = crisis_check(now=now)
    return opened


def test_an_official_handles_a_crisis_on_a_phone(world, live_server, phone, crisis):
    page = signed_in(phone, live_server, world.alice)
    page.goto(live_server.url + reverse("inbox_crisis:figures", args=[world.section.code]))
    page.locator("#figures-by-network-caption").wait_for()
    page.wait_for_load_state("load")  # measured with the page's style sheets in
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(f'a[href="{reverse("inbox_crisis:room", args=[crisis.code])}"]').click()
    page.locator("#id_statement").wait_for()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#id_statement").fill("{structure} vous répond demain matin.")
    page.locator(f'form[action="{reverse("inbox_crisis:statement", args=[crisis.code])}"] button').focus()
    page.keyboard.press("Enter")
    page.locator(".crisis-statement", has_text="Section Hôpital Nord vous répond demain matin.").wait_for()

    page.locator(f'a[href^="{reverse("atelier:message_new", args=[world.section.code])}"]').click()
    page.wait_for_url(re.compile("/atelier/"))
    assert "Section Hôpital Nord vous répond demain matin." in page.locator("textarea").first.input_value()

    page.goto(live_server.url + reverse("inbox_crisis:room", args=[crisis.code]))
    page.locator(f'form[action="{reverse("inbox_crisis:close", args=[crisis.code])}"] button').click()
    page.locator(".crisis-state--closed").wait_for()
    assert Crisis.objects.get().state == Crisis.State.CLOSED
