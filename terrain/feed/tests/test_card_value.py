"""A post card is one value (``news.cards.PostCard``): the cached card and the card rendered
plainly are the same page, and what a skeleton cannot have fails loudly instead of rendering empty."""

from __future__ import annotations

import re
from unittest import mock

import pytest
import time_machine
from django.template import Context, engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from terrain.accounts.models import Visibility
from terrain.cooperatives.services import membership_add
from terrain.core.templatetags import terrain as terrain_tags
from terrain.feed.models import Activity
from terrain.feed.selectors import activities_for_display
from terrain.lib.fragments import SkeletonError, fill, render_skeleton
from terrain.news.cards import (
    CARD_TEMPLATE,
    FEED_CARD_ABSENT,
    PostCard,
    card_cache,
    card_keys,
    remembered_cards,
)
from terrain.news.feed_items import POST_PUBLISHED
from terrain.news.services import ImageUpload, comment_create, comment_update, post_create, post_set_pinned, post_update
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db


def _page(client, url: str) -> str:
    html = client.get(url).content.decode()
    # Tokens and keys differ from one request to the next; everything else must not.
    html = re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card post.*?</article>', html, re.S)


def _forget_cards() -> None:
    card_cache().clear()
    remembered_cards.clear()


@pytest.fixture
def fixture_feed(world):
    """A feed with every kind of card: pictures, mentions of a member and of an outsider, a pin, an
    edit, comments edited and by a former member, private and shared photos, a post by a former member."""
    dany = make_user("Dany Petit")
    membership_add(cooperative=world.open_coop, user=dany)
    dany.photo.save("d.jpg", make_image_file(), save=False)
    dany.photo_visibility = Visibility.COOPERATIVES
    dany.save()
    world.alice.photo.save("a.jpg", make_image_file(), save=False)
    world.alice.photo_visibility = Visibility.NOBODY
    world.alice.save()
    gone = make_user("Eve Partie")
    membership_add(cooperative=world.open_coop, user=gone)

    pictures = post_create(
        cooperative=world.open_coop,
        author=world.alice,
        body_html=f"<div>Piquet de grève avec @{dany.handle} et @{world.charlie.handle}</div>",
        images=[ImageUpload(make_image_file(), "Le piquet"), ImageUpload(make_image_file("b.png", fmt="PNG"), "Foule")],
    )
    comment_create(post=pictures, author=gone, text="J'y étais")
    comment_create(post=pictures, author=world.bob, text=f"Merci @{dany.handle}")
    edited = comment_create(post=pictures, author=dany, text="Bravo")
    comment_update(comment=edited, text="Bravo à toutes et tous")
    comment_create(post=pictures, author=world.bob, text="Et la suite ?")

    pinned = post_create(cooperative=world.open_coop, author=dany, body_html="<div>Ordre du jour</div>")
    post_set_pinned(post=pinned, pinned=True)
    post_update(post=pinned, by=dany, body_html="<div>Ordre du jour, corrigé</div>")
    post_create(cooperative=world.open_coop, author=gone, body_html="<p>Au revoir</p>")
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Réunion de section</p>")
    gone.delete()  # a former member: their post and comment stay
    return world


def test_every_card_of_a_fixture_feed_is_the_same_cached_and_plain(fixture_feed, alice_client, bob_client):
    url = reverse("feed:home")
    for client in (alice_client, bob_client):
        _forget_cards()
        rendered = _cards(_page(client, url))  # skeletons rendered from the values, cached, filled
        with mock.patch("terrain.news.cards.render_skeleton") as render:
            cached = _cards(_page(client, url))  # every card from the cache
        assert render.call_count == 0
        _forget_cards()
        with mock.patch("terrain.news.cards.render_skeleton", return_value=None):  # never a skeleton
            plain = _cards(_page(client, url))

        assert len(plain) == 4
        everything = "".join(plain)
        assert "Piquet de grève" in everything and "Ancien·ne membre" in everything and "Foule" in everything
        assert rendered == plain
        assert cached == plain


def test_the_page_chrome_is_the_same_shared_and_plain(world, alice_client, bob_client, client):
    pages = [(alice_client, reverse("structures:list")), (bob_client, reverse("feed:home")), (client, "/")]
    for who, url in pages:
        # The badge's polling address is signed with the time: both renderings see the same second.
        with time_machine.travel(timezone.now(), tick=False):
            terrain_tags.shared_parts.clear()
            shared = _page(who, url)
            with mock.patch.object(terrain_tags, "render_skeleton", return_value=None):  # rendered as usual
                terrain_tags.shared_parts.clear()
                plain = _page(who, url)
        terrain_tags.shared_parts.clear()
        assert shared == plain


def _value(world) -> PostCard:
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Tract</p>")
    comment_create(post=post, author=world.bob, text="Lu")
    ids = list(Activity.objects.filter(verb=POST_PUBLISHED, target_id=post.pk).values_list("pk", flat=True))
    (activity,) = activities_for_display(ids=ids, user=world.bob)
    return activity.post.card


def test_every_field_of_a_card_is_part_of_its_key(world):
    card = _value(world)
    key = card_keys({1: card})[1]
    for field in PostCard._fields:
        changed = card._replace(**{field: f"{getattr(card, field)!r} changed"})
        assert card_keys({1: changed})[1] != key, field
    renamed = card._replace(author=card.author._replace(display_name="Alice Martin-Roux"))
    assert card_keys({1: renamed})[1] != key


def test_a_card_template_that_reads_what_the_value_lacks_fails_loudly(world):
    """A contributor adds the author's handle to the card: the feed must not show a stale one."""
    card = _value(world)
    engine = engines["django"].engine
    source = get_template(CARD_TEMPLATE).template.source
    source = source.replace("</article>", "@{{ post.author.handle }}</article>")
    values = {"post": card, "in_cooperative": card.cooperative, **FEED_CARD_ABSENT}

    with pytest.raises(SkeletonError, match=r"PersonCard has no 'handle'.*news\.cards"):
        render_skeleton(engine.from_string(source), values, bindings={"comment": card.comments_shown})


@pytest.mark.parametrize("used", ["{{ user }}", "{{ request.path }}", "{{ perms.news }}", "{% here %}", "{{ other }}"])
def test_the_reader_or_a_missing_name_in_a_skeleton_fails_loudly(used):
    template = engines["django"].engine.from_string(f"{{% load news %}}<p>{used}</p>")
    with pytest.raises(SkeletonError, match="per_reader"):
        render_skeleton(template, {"post": None})


def _fill(skeleton, template, **kwargs) -> str:
    # As a page fills it: in the context of the page's template.
    context = Context({})
    with context.render_context.push_state(template), context.bind_template(template):
        return fill(skeleton, context, **kwargs)


def test_a_loop_variable_in_a_per_reader_block_fails_loudly_unless_bound():
    engine = engines["django"].engine
    template = engine.from_string(
        "{% load terrain %}{% for item in items %}<p>{% per_reader %}{{ item }}{% endper_reader %}</p>{% endfor %}"
    )
    items = ["a", "b"]
    skeleton = render_skeleton(template, {"items": items})
    with pytest.raises(SkeletonError, match="item"):
        _fill(skeleton, template)

    bound = render_skeleton(template, {"items": items}, bindings={"item": items})
    assert _fill(bound, template, bindings={"item": ["A", "B"]}) == "<p>A</p><p>B</p>"

    counted = engine.from_string(
        "{% load terrain %}{% for item in items %}{% per_reader %}{{ forloop.counter }}{% endper_reader %}{% endfor %}"
    )
    with pytest.raises(SkeletonError, match="forloop"):
        _fill(render_skeleton(counted, {"items": items}, bindings={"item": items}), counted, bindings={"item": items})
