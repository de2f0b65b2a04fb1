"""Nothing is published twice: the same form sent again finds what it already published."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.news.models import Comment, Post
from terrain.news.services import comment_create, post_create

KEY = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8"


@pytest.mark.django_db
def test_the_same_post_form_sent_twice_publishes_once(alice_client, world):
    url = reverse("news:post_create", args=[world.open_coop.code])
    data = {"body": "<p>Assemblée jeudi</p>", "submission_key": KEY}
    first = alice_client.post(url, data)
    second = alice_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Post.objects.filter(author=world.alice).count() == 1
    # A new form (a new key) publishes again.
    alice_client.post(url, {"body": "<p>Autre chose</p>", "submission_key": KEY[::-1]})
    assert Post.objects.filter(author=world.alice).count() == 2


@pytest.mark.django_db
def test_the_same_comment_sent_twice_is_kept_once(bob_client, world):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion</p>")
    url = reverse("news:comment_create", args=[post.code])
    for _ in range(2):
        bob_client.post(url, {"text": "J'y serai", "submission_key": KEY}, HTTP_HX_REQUEST="true")
    assert Comment.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.comment_count == 1


@pytest.mark.django_db
def test_after_a_comment_the_fresh_form_has_a_new_key(bob_client, world):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion</p>")
    url = reverse("news:comment_create", args=[post.code])
    response = bob_client.post(url, {"text": "Premier", "submission_key": KEY}, HTTP_HX_REQUEST="true")
    keys = re.findall(r'name="submission_key" value="([^"]+)"', response.content.decode())
    assert keys and KEY not in keys
    # An invalid sending keeps its key: nothing was published under it.
    response = bob_client.post(url, {"text": "", "submission_key": KEY[::-1]}, HTTP_HX_REQUEST="true")
    assert re.findall(r'name="submission_key" value="([^"]+)"', response.content.decode()) == [KEY[::-1]]


@pytest.mark.django_db
def test_services_return_what_was_already_published(world):
    first = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Un</p>", submission_key=KEY)
    again = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Un</p>", submission_key=KEY)
    assert again == first
    c1 = comment_create(post=first, author=world.alice, text="Oui", submission_key=KEY)
    c2 = comment_create(post=first, author=world.alice, text="Oui", submission_key=KEY)
    assert c1 == c2
    # Without a key (or with a malformed one) nothing is deduplicated.
    post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Un</p>", submission_key="<x>")
    post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Un</p>")
    assert Post.objects.filter(author=world.bob).count() == 3
