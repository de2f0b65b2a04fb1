"""Reacting to a post."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.news.models import Reaction
from terrain.news.tests.conftest import HTMX

pytestmark = pytest.mark.django_db


class _Buttons(HTMLParser):
    """{kind: (aria-pressed, accessible text)} of the reaction buttons in some HTML."""

    def __init__(self):
        super().__init__()
        self.buttons: dict[str, list] = {}
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button" and attrs.get("name") == "kind":
            self._current = attrs["value"]
            self.buttons[self._current] = [attrs.get("aria-pressed"), ""]

    def handle_endtag(self, tag):
        if tag == "button":
            self._current = None

    def handle_data(self, data):
        if self._current:
            self.buttons[self._current][1] += data.strip()


def _buttons(html: str) -> dict[str, list]:
    parser = _Buttons()
    parser.feed(html)
    return parser.buttons


def test_a_reaction_toggles_and_changes(world, bob_client, alice_post):
    url = reverse("news:react", args=[alice_post.code])

    response = bob_client.post(url, {"kind": "like", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Reaction.objects.get(post=alice_post, user=world.bob).kind == "like"

    bob_client.post(url, {"kind": "support"})
    assert Reaction.objects.get(post=alice_post, user=world.bob).kind == "support"

    bob_client.post(url, {"kind": "support"})
    assert not Reaction.objects.exists()


def test_with_htmx_the_bar_comes_back_with_counts_and_my_choice(world, bob_client, alice_client, alice_post):
    alice_client.post(reverse("news:react", args=[alice_post.code]), {"kind": "bravo"})

    response = bob_client.post(reverse("news:react", args=[alice_post.code]), {"kind": "bravo"}, **HTMX)

    buttons = _buttons(response.content.decode())
    assert set(buttons) == set(Reaction.Kind.values)
    assert buttons["bravo"] == ["true", "👏Bravo2"]
    assert buttons["like"] == ["false", "👍J'aime"]


def test_an_unknown_reaction_is_refused(world, bob_client, alice_post):
    response = bob_client.post(reverse("news:react", args=[alice_post.code]), {"kind": "angry"})

    assert response.status_code == 400
    assert not Reaction.objects.exists()


@pytest.mark.outsider("news:react")
def test_outsiders_cannot_react(world, charlie_client, client, alice_post):
    url = reverse("news:react", args=[alice_post.code])
    assert_refused(charlie_client.post(url, {"kind": "like"}))
    assert_login_required(client.post(url, {"kind": "like"}))
    assert not Reaction.objects.exists()
