"""The inbox in a real browser: list, filter, open a thread, add a note, answer; on a phone and a laptop."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.inbox import tone
from terrain.inbox.models import Note, Reply, SavedReply
from terrain.inbox.tests.helpers import make_thread
from terrain.tests.browser.axe import ALL_IMPACTS, axe_check
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _threads(world):
    question = make_thread(
        world.section, text="Quand a lieu la prochaine AG ?", tone_value=tone.Tone.QUESTION, reason="Une question"
    )
    make_thread(world.section, text="Merci pour tout", network="bluesky", tone_value=tone.Tone.POSITIVE)
    return question


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_handle_a_thread_from_the_list_to_the_answer(world, live_server, device, request):
    question = _threads(world)
    SavedReply.objects.create(structure=world.section, title="AG", text="L'AG a lieu le 12 mars.")
    page = signed_in(request.getfixturevalue(device), live_server, world.alice)
    page.goto(live_server.url + reverse("inbox:list", args=[world.section.code]))
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".inbox-row").count() == 2

    page.select_option("#id_network", "mastodon")
    page.locator(".inbox-filters button[type=submit]").click()
    page.wait_for_url("**network=mastodon**")
    assert page.locator(".inbox-row").count() == 1

    page.get_by_role("link", name="Camille").click()
    page.wait_for_url(f"**{reverse('inbox:thread', args=[question.code])}")
    page.locator(".inbox-tone--question").focus()
    assert page.locator(".inbox-tone--question .inbox-tone__why").is_visible()

    page.fill("#note_text", "Je la rappelle demain.")
    page.locator("#note_text").press("Tab")
    page.keyboard.press("Enter")  # the next control is the note's button
    page.wait_for_url("**#notes")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'notes'")
    assert page.locator("#notes").get_by_text("Je la rappelle demain.").is_visible()
    assert Note.objects.get().text == "Je la rappelle demain."

    page.select_option("#saved-pick", label="AG")  # with JavaScript: the text comes at once, focus in it
    assert page.input_value("#answer_text") == "L'AG a lieu le 12 mars."
    assert page.evaluate("document.activeElement.id") == "answer_text"
    page.fill("#answer_text", "La prochaine AG est jeudi 12 à 14 h.")
    page.locator("#answer_text").press("Tab")
    page.keyboard.press("Enter")  # the first button after the text: send
    page.wait_for_url("**#answers")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'answers'")
    assert page.locator("#answers").get_by_text("La prochaine AG est jeudi 12 à 14 h.").is_visible()
    assert Reply.objects.count() == 1


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_inbox_pages_have_no_axe_violation_of_any_impact(world, live_server, device, request):
    question = _threads(world)
    item = question.items.get()
    Reply.objects.create(conversation=question, item=item, author=world.alice, text="Oui", state=Reply.State.FAILED)
    Reply.objects.create(
        conversation=question, item=item, author=world.alice, text="Bientôt", state=Reply.State.PENDING_APPROVAL
    )
    Note.objects.create(conversation=question, author=world.alice, text="À rappeler")
    SavedReply.objects.create(structure=world.section, title="AG", text="Le 12 mars.")
    page = signed_in(request.getfixturevalue(device), live_server, world.alice)
    problems = []
    for url in (
        reverse("inbox:list", args=[world.section.code]),
        reverse("inbox:thread", args=[question.code]),
        reverse("inbox:saved_replies", args=[world.section.code]),
    ):
        assert page.goto(live_server.url + url).status == 200
        if device == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        problems += [str(v) for v in axe_check(page, impacts=ALL_IMPACTS)]
    assert not problems, "\n".join(problems)
