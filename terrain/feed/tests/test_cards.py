"""Post cards of the feed come from a cache (news.cards): what changes shows at once,
what belongs to one reader never reaches another."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.template import Context, engines
from django.urls import reverse
from django.utils import timezone

from terrain.accounts.models import Visibility
from terrain.cooperatives.services import cooperative_leave, cooperative_update, membership_add
from terrain.lib.fragments import SkeletonError, fill, render_skeleton
from terrain.news.cards import card_cache, remembered_cards
from terrain.news.forms import CommentForm
from terrain.news.services import comment_create, comment_update, post_create, post_set_pinned, post_update
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db


def _feed(client) -> str:
    return client.get(reverse("feed:home")).content.decode()


def _card(html: str, post) -> str:
    match = re.search(rf'<article class="card post[^"]*" id="post-{post.code}".*?</article>', html, re.S)
    assert match, f"no card for post {post.code}"
    return match.group(0)


@pytest.fixture
def post(world):
    return post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Réunion jeudi</div>")


def _same_page(html: str) -> str:
    # Tokens differ from one request to the next; everything else must not.
    html = re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r"(avant|apres)=[^\"&]+", "", html)


def test_a_cached_card_is_the_card_rendered_afresh(world, post, alice_client, bob_client):
    comment_create(post=post, author=world.bob, text="J'y serai")
    first = _feed(bob_client)  # rendered, then cached
    assert len(card_cache()._cache) == 1

    assert _same_page(_feed(bob_client)) == _same_page(first)
    card_cache().clear()
    assert _same_page(_feed(alice_client)) == _same_page(_feed(alice_client))


def test_an_edited_post_shows_its_new_text(world, post, bob_client):
    assert "Réunion jeudi" in _feed(bob_client)

    post_update(post=post, by=world.alice, body_html="<div>Réunion vendredi</div>")

    card = _card(_feed(bob_client), post)
    assert "Réunion vendredi" in card and "Réunion jeudi" not in card
    assert "modifié" in card


def test_new_and_edited_comments_show_at_once(world, post, bob_client):
    _feed(bob_client)
    comment = comment_create(post=post, author=world.bob, text="J'y serai")

    assert "y serai" in _card(_feed(bob_client), post)

    comment_update(comment=comment, text="Finalement non")
    card = _card(_feed(bob_client), post)
    assert "Finalement non" in card and "serai" not in card


def test_a_pin_a_renamed_author_and_a_renamed_cooperative_show_at_once(world, post, bob_client):
    _feed(bob_client)

    post_set_pinned(post=post, pinned=True)
    world.alice.display_name = "Alice Martin-Roux"
    world.alice.save(update_fields=["display_name"])
    cooperative_update(
        cooperative=world.open_coop,
        by=world.alice,
        name="Égalité femmes-hommes",
        description="Agir ensemble.",
        join_policy=world.open_coop.join_policy,
    )

    card = _card(_feed(bob_client), post)
    assert "Épinglé" in card and "Alice Martin-Roux" in card and "Égalité femmes-hommes" in card


def test_actions_and_reactions_stay_each_readers_own(world, post, alice_client, bob_client):
    comment_create(post=post, author=world.bob, text="J'y serai")
    post.refresh_from_db()
    bob_card = _card(_feed(bob_client), post)  # bob fills the cache
    alice_card = _card(_feed(alice_client), post)

    edit_post = reverse("news:post_edit", args=[post.code])
    # alice wrote the post and animates the cooperative: she may edit, pin, and remove bob's comment.
    assert edit_post in alice_card and "Épingler" in alice_card and "Retirer (modération)" in alice_card
    # bob may only edit his own comment.
    assert edit_post not in bob_card and "Épingler" not in bob_card and "Retirer (modération)" not in bob_card
    assert bob_card.count(">Modifier<") == 1
    assert alice_card.count(">Modifier<") == 1  # her post's "Modifier" is a button link
    assert len(card_cache()._cache) == 1  # one card for both


def test_how_long_ago_is_computed_at_each_request(world, post, bob_client):
    assert re.search(r"<time [^>]*>à l&#x27;instant</time>", _card(_feed(bob_client), post))

    later = timezone.now() + timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        card = _card(_feed(bob_client), post)

    assert "il y a 3\xa0heures" in card


def test_a_private_photo_is_shown_to_its_owner_only(world, post, alice_client, bob_client):
    world.alice.photo.save("a.jpg", make_image_file(), save=False)
    world.alice.photo_visibility = Visibility.NOBODY
    world.alice.save()
    photo_url = reverse("accounts:photo", args=[world.alice.code])

    assert photo_url in _card(_feed(alice_client), post)  # alice fills the cache
    assert photo_url not in _card(_feed(bob_client), post)


def test_a_new_photo_of_the_author_shows_at_once(world, post, bob_client):
    photo_url = reverse("accounts:photo", args=[world.alice.code])
    assert photo_url not in _card(_feed(bob_client), post)  # cached without a photo

    world.alice.photo.save("a.jpg", make_image_file(), save=False)
    world.alice.photo_visibility = Visibility.COOPERATIVES
    world.alice.save()
    assert photo_url in _card(_feed(bob_client), post)

    world.alice.photo = ""
    world.alice.save()
    assert photo_url not in _card(_feed(bob_client), post)


def test_a_mention_links_only_while_the_person_is_a_member(world, bob_client):
    dany = make_user("Dany Petit")
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html=f"<div>Merci @{dany.handle}</div>")
    profile = reverse("accounts:profile", args=[dany.code])
    assert profile not in _card(_feed(bob_client), post)

    membership_add(cooperative=world.open_coop, user=dany)
    assert profile in _card(_feed(bob_client), post)

    cooperative_leave(cooperative=world.open_coop, user=dany)
    assert profile not in _card(_feed(bob_client), post)


def test_text_that_looks_like_a_hole_is_shown_as_text(world, bob_client):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>a <!--terrain:hole--> b</div>")
    comment_create(post=post, author=world.bob, text="<!--terrain:hole-->")

    card = _card(_feed(bob_client), post)

    assert "a  b" in card or "a b" in card
    assert "&lt;!--terrain:hole--&gt;" in card
    assert _same_page(_card(_feed(bob_client), post)) == _same_page(card)


def test_an_outsider_never_gets_a_cached_card(world, bob_client, charlie_client):
    post = post_create(cooperative=world.private_coop, author=world.alice, body_html="<div>Entre nous</div>")
    assert "Entre nous" in _feed(bob_client)

    assert "Entre nous" not in _feed(charlie_client)
    assert post.code not in _feed(charlie_client)


def test_an_unreadable_cache_only_costs_a_new_rendering(world, post, bob_client, caplog):
    with mock.patch.object(type(card_cache()), "get_many", side_effect=ValueError("unpickling")):
        card = _card(_feed(bob_client), post)

    assert "Réunion jeudi" in card
    assert "could not be read from the cache" in caplog.text


def test_a_card_read_once_is_then_taken_from_the_process_memory(world, post, alice_client, bob_client):
    first = _card(_feed(bob_client), post)  # rendered, stored in both
    remembered_cards.clear()
    assert _same_page(_card(_feed(bob_client), post)) == _same_page(first)  # from the shared cache, remembered

    with (
        mock.patch.object(type(card_cache()), "get_many") as shared,
        mock.patch("terrain.news.cards.render_skeleton") as rendered,
    ):
        again = _feed(alice_client)

    assert "Réunion jeudi" in _card(again, post)
    assert shared.call_count == 0
    assert rendered.call_count == 0


def test_the_process_memory_keeps_the_latest_cards_only(world, bob_client, settings):
    settings.CARD_MEMORY_ENTRIES = 2
    posts = [
        post_create(cooperative=world.open_coop, author=world.alice, body_html=f"<div>Carte {n}</div>")
        for n in range(3)
    ]
    _feed(bob_client)

    assert len(remembered_cards._entries) == 2
    card_cache().clear()
    with mock.patch("terrain.news.cards.render_skeleton", wraps=render_skeleton) as rendered:
        html = _feed(bob_client)
    assert rendered.call_count == 1  # the one forgotten
    assert all(f"Carte {n}" in _card(html, p) for n, p in enumerate(posts))


def test_no_process_memory_when_turned_off(world, post, bob_client, settings):
    settings.CARD_MEMORY_ENTRIES = 0
    _feed(bob_client)

    assert not remembered_cards._entries
    assert len(card_cache()._cache) == 1


def test_a_token_outside_the_readers_parts_never_reaches_a_skeleton():
    """Nested per_reader blocks on one line each keep their own content."""
    engine = engines["django"].engine
    leaky = engine.from_string("<form>{% csrf_token %}</form>")
    with pytest.raises(SkeletonError, match="per_reader"):
        render_skeleton(leaky, {})

    kept = engine.from_string(
        "{% load news %}<form>{% per_reader when allowed %}<p>{% per_reader %}{% csrf_token %}"
        "{% endper_reader %}</p>{% endper_reader %}</form>"
    )
    skeleton = render_skeleton(kept, {})
    assert "csrfmiddlewaretoken" not in "".join(skeleton.parts)
    shown = fill(skeleton, Context({"allowed": True, "csrf_token": "tok"}))
    hidden = fill(skeleton, Context({"allowed": False, "csrf_token": "tok"}))
    assert shown == '<form><p><input type="hidden" name="csrfmiddlewaretoken" value="tok"></p></form>'
    assert hidden == "<form></form>"


def test_the_forms_keys_never_reach_a_skeleton_each_reader_gets_a_token_and_a_new_key():
    engine = engines["django"].engine
    template = engine.from_string("{% load news %}<form>{% form_keys comment_form %}</form>")
    skeleton = render_skeleton(template, {"comment_form": None})
    assert skeleton.parts == ("<form>", "</form>")
    first = fill(skeleton, Context({"csrf_token": "tok", "comment_form": None}))
    second = fill(skeleton, Context({"csrf_token": "tok", "comment_form": None}))
    keys = [re.search(r'name="submission_key" value="([0-9a-f]{32})"', html).group(1) for html in (first, second)]
    assert keys[0] != keys[1]
    assert first.startswith('<form><input type="hidden" name="csrfmiddlewaretoken" value="tok">')

    # A form sent back with its errors belongs to one reader: never in a skeleton.
    sent = CommentForm(data={"text": ""})
    assert sent.errors
    with pytest.raises(SkeletonError, match="per_reader"):
        render_skeleton(engine.from_string("{% load news %}<form>{% form_keys form %}</form>"), {"form": sent})


def test_every_form_of_a_feed_page_carries_the_pages_token_and_its_own_key(world, post):
    from django.test import Client

    from terrain.news.models import Comment

    other = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Tract</p>")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bob)
    html = _feed(client)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    keys = re.findall(r'name="submission_key" value="([^"]+)"', html)
    assert len(tokens) == 1  # reactions, comments, the menu: one masked token for the page
    assert len(keys) == 2
    assert len(set(keys)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)
    assert f'id="comment-form-{other.code}"' in html

    (token,) = tokens
    url = reverse("news:comment_create", args=[post.code])
    sent = {"text": "J'y serai", "submission_key": keys[0]}
    assert client.post(url, sent).status_code == 403  # without the token
    client.post(url, {**sent, "csrfmiddlewaretoken": token})
    client.post(url, {**sent, "csrfmiddlewaretoken": token})  # sent twice: published once
    assert Comment.objects.filter(post=post, author=world.bob).count() == 1
