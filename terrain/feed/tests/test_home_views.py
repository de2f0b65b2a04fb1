"""The activity feed page, its older pages and its live updates."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.cooperatives.models import Membership
from terrain.cooperatives.services import cooperative_create_open, membership_add
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.tests.conftest import HTMX, attribute
from terrain.feed.views import FILTER_SELECT_MAX
from terrain.news.services import ImageUpload, comment_create, post_create, reaction_toggle
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _post(cooperative, author, text: str):
    return post_create(cooperative=cooperative, author=author, body_html=f"<div>{text}</div>")


def _activity_ids(html: str) -> list[str]:
    """Identifiers of the feed items in a page, in order (posts by their card, the rest by activity)."""
    return re.findall(r'<article class="card (?:post|feed-item)[^"]*" id="((?:post|activity)-\w+)"', html)


def test_the_feed_shows_my_cooperatives_newest_first(world, bob_client):
    _post(world.private_coop, world.alice, "Dans la section")
    _post(world.open_coop, world.alice, "Dans la coopérative ouverte")

    html = bob_client.get(reverse("feed:home")).content.decode()

    assert html.index("Dans la coopérative ouverte") < html.index("Dans la section")
    assert "Égalité professionnelle</a>" in html  # "In <cooperative>" on the card
    assert "Bob Durand a rejoint Section Hôpital Nord" in html
    assert 'aria-current="page">Fil d\'activité' in html


def test_a_comment_on_my_post_is_in_my_feed_in_plain_words(world, alice_client):
    post = _post(world.open_coop, world.alice, "Réunion")
    comment_create(post=post, author=world.bob, text="J'y serai")

    html = alice_client.get(reverse("feed:home")).content.decode()

    assert "Bob Durand a commenté votre publication dans Égalité professionnelle" in html
    assert "J&#x27;y serai" in html or "J'y serai" in html


def test_the_filter_shows_one_cooperative(world, bob_client):
    _post(world.private_coop, world.alice, "Dans la section")
    _post(world.open_coop, world.alice, "Dans la coopérative ouverte")

    html = bob_client.get(reverse("feed:home"), {"cooperative": world.open_coop.code}).content.decode()

    assert "Dans la coopérative ouverte" in html and "Dans la section" not in html
    assert f'<option value="{world.open_coop.code}" selected>' in html


def test_a_muted_cooperative_leaves_the_feed_but_stays_in_the_filter(world, bob_client):
    _post(world.private_coop, world.alice, "Dans la section")
    _post(world.open_coop, world.alice, "Dans la coopérative ouverte")
    Membership.objects.filter(user=world.bob, cooperative=world.open_coop).update(muted=True)

    everything = bob_client.get(reverse("feed:home")).content.decode()
    only = bob_client.get(reverse("feed:home"), {"cooperative": world.open_coop.code}).content.decode()

    assert "Dans la section" in everything and "Dans la coopérative ouverte" not in everything
    assert "Dans la coopérative ouverte" in only
    # The filter says so, in the reader's language.
    assert f"{world.open_coop.name} (en sourdine)</option>" in everything


def test_an_empty_feed_says_what_to_do(world, charlie_client):
    html = charlie_client.get(reverse("feed:home")).content.decode()

    assert "Votre fil est vide : rejoignez une coopérative" in html
    assert reverse("cooperatives:list") in html


@pytest.mark.outsider("feed:home")
def test_outsiders_cannot_filter_on_a_cooperative_they_do_not_read(world, charlie_client, client):
    assert_refused(charlie_client.get(reverse("feed:home"), {"cooperative": world.private_coop.code}))
    assert_refused(charlie_client.get(reverse("feed:home"), {"cooperative": world.open_coop.code}), hidden=False)
    assert_login_required(client.get(reverse("feed:home")))


def test_pages_follow_each_other_without_repeating(world, bob_client, settings):
    settings.FEED_PAGE_SIZE = 10
    for n in range(25):
        _post(world.open_coop, world.alice, f"Message {n}")

    first = bob_client.get(reverse("feed:home")).content.decode()
    seen = _activity_ids(first)
    next_url = re.search(r'class="feed-more" hx-get="([^"]+)"', first).group(1).replace("&amp;", "&")
    while next_url:
        assert 'hx-trigger="revealed"' in first
        page = bob_client.get(next_url, **HTMX).content.decode()
        seen += _activity_ids(page)
        found = re.search(r'class="feed-more" hx-get="([^"]+)"', page)
        next_url = found.group(1).replace("&amp;", "&") if found else ""

    # 25 posts, and three arrivals: alice and bob in the section, bob in the open cooperative.
    assert len(seen) == len(set(seen)) == 25 + 3
    assert all(f"Message {n}<" in first for n in range(15, 25))


def test_the_load_more_link_works_without_javascript(world, bob_client, settings):
    settings.FEED_PAGE_SIZE = 3
    for n in range(5):
        _post(world.open_coop, world.alice, f"Message {n}")

    first = bob_client.get(reverse("feed:home")).content.decode()
    link = re.search(r'<a class="button button--secondary" href="([^"]+)">Afficher plus', first).group(1)
    older = bob_client.get(link.replace("&amp;", "&")).content.decode()

    assert "Message 1<" in older and "Message 4<" not in older
    assert 'id="feed-poller"' not in older  # an older page does not poll


def test_a_forged_cursor_is_refused(world, bob_client):
    assert bob_client.get(reverse("feed:page"), {"avant": "42"}).status_code == 400
    assert bob_client.get(reverse("feed:new"), {"apres": "42"}).status_code == 400


@pytest.mark.outsider("feed:page")
def test_outsiders_get_no_older_page(world, charlie_client, client):
    assert_refused(charlie_client.get(reverse("feed:page"), {"cooperative": world.private_coop.code, "avant": "x"}))
    assert_login_required(client.get(reverse("feed:page")))


def test_new_items_arrive_without_reloading(world, bob_client, settings):
    settings.FEED_POLL_SECONDS = 2
    _post(world.open_coop, world.alice, "Déjà là")
    home = bob_client.get(reverse("feed:home")).content.decode()
    poll_url = attribute(home, "hx-get", "feed-poller")
    assert attribute(home, "hx-trigger", "feed-poller") == "every 2s"
    assert attribute(home, "hx-target", "feed-poller") == "#feed-items"
    assert attribute(home, "hx-swap", "feed-poller") == "afterbegin"

    assert bob_client.get(poll_url, **HTMX).status_code == 204  # nothing new yet

    _post(world.open_coop, world.alice, "Tout neuf")
    response = bob_client.get(poll_url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tout neuf" in html and "Déjà là" not in html
    # The poller comes back out of band, starting after the newest item.
    next_poll = attribute(html, "hx-get", "feed-poller")
    assert 'hx-swap-oob="true"' in html and next_poll != poll_url
    assert bob_client.get(next_poll, **HTMX).status_code == 204


def test_new_items_keep_the_filter(world, bob_client):
    home = bob_client.get(reverse("feed:home"), {"cooperative": world.open_coop.code}).content.decode()
    poll_url = attribute(home, "hx-get", "feed-poller")
    _post(world.private_coop, world.alice, "Ailleurs")

    assert f"cooperative={world.open_coop.code}" in poll_url
    assert bob_client.get(poll_url, **HTMX).status_code == 204


@pytest.mark.outsider("feed:new")
def test_outsiders_get_no_news(world, charlie_client, client):
    assert_refused(charlie_client.get(reverse("feed:new"), {"cooperative": world.private_coop.code, "apres": "x"}))
    assert_login_required(client.get(reverse("feed:new")))


def test_the_feed_costs_the_same_for_10_or_30_items_across_5_cooperatives(
    world, bob_client, settings, django_assert_max_num_queries
):
    settings.FEED_PAGE_SIZE = 30
    cooperatives = [world.private_coop, world.open_coop]
    for n in range(3):
        cooperative = cooperative_create_open(name=f"Coopérative {n}", by=world.alice)
        membership_add(cooperative=cooperative, user=world.bob, announce=False)
        cooperatives.append(cooperative)

    def publish(count):
        for n in range(count):
            cooperative = cooperatives[n % 5]
            post = post_create(
                cooperative=cooperative,
                author=world.alice,
                body_html=f"<div>Nouvelle @{world.bob.handle} {n}</div>",
                images=[ImageUpload(make_image_file(), "Photo")],
            )
            comment_create(post=post, author=world.bob, text=f"@{world.alice.handle} merci")
            reaction_toggle(post=post, user=world.bob, kind="like")

    publish(4)
    with django_assert_max_num_queries(18):
        small = bob_client.get(reverse("feed:home")).content.decode()
    publish(26)
    with django_assert_max_num_queries(18):
        large = bob_client.get(reverse("feed:home")).content.decode()
    assert len(_activity_ids(small)) < 10
    assert len(_activity_ids(large)) == 30


@pytest.mark.django_db
def test_a_member_of_many_cooperatives_gets_a_link_instead_of_a_long_select(bob_client, world):

    page = bob_client.get(reverse("feed:home")).content.decode()
    assert 'id="feed-cooperative"' in page  # two cooperatives: the select
    for n in range(FILTER_SELECT_MAX):
        membership_add(cooperative=cooperative_create_open(name=f"Coopérative {n}", by=world.alice), user=world.bob)
    page = bob_client.get(reverse("feed:home")).content.decode()
    assert 'id="feed-cooperative"' not in page
    assert reverse("feed:settings") in page
    # The settings page lists each cooperative with a link to its own feed.
    settings_page = bob_client.get(reverse("feed:settings")).content.decode()
    assert f"?cooperative={world.open_coop.code}" in settings_page
