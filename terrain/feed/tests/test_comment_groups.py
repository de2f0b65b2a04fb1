"""One card per post in the feed: the comments on a post join its card instead of each
standing as a card of its own above it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.cooperatives.services import membership_add
from terrain.news.services import comment_create, post_create
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _post(cooperative, author, text: str):
    return post_create(cooperative=cooperative, author=author, body_html=f"<div>{text}</div>")


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card (?:post|feed-item)[^"]*" id="((?:post|activity)-\w+)"', html)


@pytest.fixture
def dana(world):
    dana = make_user("Dana Leroy")
    membership_add(cooperative=world.open_coop, user=dana, announce=False)
    return dana


def test_comments_on_a_post_of_the_page_join_its_card(world, dana, alice_client):
    post = _post(world.open_coop, world.alice, "Réunion jeudi")
    comment_create(post=post, author=world.bob, text="J'y serai")
    comment_create(post=post, author=dana, text="Moi aussi")

    html = alice_client.get(reverse("feed:home")).content.decode()

    assert _cards(html).count(f"post-{post.code}") == 1
    # No card per comment: each comment is shown once, in the post's card.
    assert html.count("J'y serai") == 1 and html.count("Moi aussi") == 1
    line = "Dana Leroy et 1 autre personne ont commenté votre publication dans Égalité professionnelle"
    assert line in html
    # Who commented is said above the post's card, which shows both comments.
    card = html.index(f'id="post-{post.code}"')
    assert html.index(line) < card < html.index("Moi aussi")


def test_comments_on_an_older_post_share_one_card(world, dana, alice_client, settings):
    settings.FEED_PAGE_SIZE = 3
    post = _post(world.open_coop, world.alice, "Réunion jeudi")
    for n in range(4):
        _post(world.private_coop, world.alice, f"Autre nouvelle {n}")
    comment_create(post=post, author=world.bob, text="J'y serai")
    comment_create(post=post, author=dana, text="Moi aussi")

    html = alice_client.get(reverse("feed:home")).content.decode()

    cards = _cards(html)
    assert f"post-{post.code}" not in cards  # beyond the first page
    assert html.count("J'y serai") == 1 and html.count("Moi aussi") == 1
    start = html.index("Dana Leroy et 1 autre personne")
    start = html.rindex("<article", 0, start)
    card = html[start : html.index("</article>", start)]
    assert "Réunion jeudi" in card  # the post's first words
    assert card.index("J'y serai") < card.index("Moi aussi")  # oldest first
    assert "Dana Leroy et 1 autre personne ont commenté votre publication" in card


def test_one_comment_on_someone_elses_post_keeps_its_plain_line(world, dana, bob_client):
    post = _post(world.open_coop, world.alice, "Réunion jeudi")
    comment_create(post=post, author=world.bob, text="J'y serai")
    comment_create(post=post, author=dana, text="Moi aussi")

    html = bob_client.get(reverse("feed:home")).content.decode()

    assert "Dana Leroy a commenté la publication de Alice Martin dans Égalité professionnelle" in html
    assert _cards(html).count(f"post-{post.code}") == 1
