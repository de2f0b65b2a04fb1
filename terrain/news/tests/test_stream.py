"""A cooperative's news: pinned first, newest first, pages that never repeat, a bounded cost."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from terrain.cooperatives.access import cooperative_access
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.news.selectors import STREAM_PAGE_SIZE, cooperative_stream
from terrain.news.services import (
    ImageUpload,
    comment_create,
    comment_delete,
    post_create,
    post_set_pinned,
    reaction_toggle,
)
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db


def _access(user, cooperative):
    return cooperative_access(user=user, cooperative=cooperative)


def _render_stream(user, cooperative, before=None) -> str:
    request = RequestFactory().get("/")
    request.user = user
    access = _access(user, cooperative)
    return render_to_string(
        "news/_cooperative_stream.html",
        {"access": access, "stream": cooperative_stream(access=access, before=before)},
        request=request,
    )


def _publish(world, n: int, **kwargs):
    return [
        post_create(cooperative=world.open_coop, author=world.alice, body_html=f"<div>Nouvelle {i}</div>", **kwargs)
        for i in range(n)
    ]


def test_pages_go_back_in_time_without_repeating(world):
    posts = _publish(world, STREAM_PAGE_SIZE + 5)
    access = _access(world.bob, world.open_coop)

    first = cooperative_stream(access=access)
    second = cooperative_stream(access=access, before=first.next_cursor)

    assert first.posts == list(reversed(posts))[:STREAM_PAGE_SIZE]
    assert first.has_more and not second.has_more
    assert second.posts == list(reversed(posts))[STREAM_PAGE_SIZE:]
    assert not {p.pk for p in first.posts} & {p.pk for p in second.posts}


def test_a_forged_cursor_reads_as_the_first_page(world):
    posts = _publish(world, 2)
    stream = cooperative_stream(access=_access(world.bob, world.open_coop), before="123")
    assert stream.posts == list(reversed(posts))


def test_pinned_posts_come_first_and_only_once(world):
    old, _middle, _new = _publish(world, 3)
    post_set_pinned(post=old, pinned=True)

    stream = cooperative_stream(access=_access(world.bob, world.open_coop))
    html = _render_stream(world.bob, world.open_coop)

    assert stream.pinned == [old] and old not in stream.posts
    assert html.index("Nouvelle 0") < html.index("Nouvelle 2") < html.index("Nouvelle 1")
    assert html.count("Nouvelle 0") == 1


def test_the_stream_links_to_the_composer_and_shows_an_empty_state(world):
    html = _render_stream(world.bob, world.open_coop)

    assert "Aucune actualité pour l'instant : écrivez la première" in html
    assert reverse("news:post_create", args=[world.open_coop.code]) in html
    # Reading loads no editor: the composer is on its own page.
    assert "trix" not in html and "<form" not in html


def test_an_archived_cooperative_has_no_composer(world):
    world.open_coop.archived_at = timezone.now()
    world.open_coop.save()

    html = _render_stream(world.bob, world.open_coop)

    assert reverse("news:post_create", args=[world.open_coop.code]) not in html
    assert "Cette coopérative est archivée : ses actualités restent lisibles" in html


def test_cards_show_the_last_three_comments_and_a_link_to_all(world):
    (post,) = _publish(world, 1)
    for n in range(5):
        comment_create(post=post, author=world.bob, text=f"Avis {n}")

    html = _render_stream(world.bob, world.open_coop)

    assert [n for n in range(5) if f"Avis {n}" in html] == [2, 3, 4]
    assert "Voir les 5 commentaires" in html


def test_cards_skip_deleted_comments_and_show_former_members(world):
    first, second = _publish(world, 2)
    dana = make_user("Dana Roux")
    comments = [comment_create(post=first, author=author, text=f"Avis {n}") for n, author in enumerate([dana] * 5)]
    comment_delete(comment=comments[4], by=world.alice)
    comment_create(post=second, author=world.bob, text="Seul avis")
    dana.delete()

    stream = cooperative_stream(access=_access(world.bob, world.open_coop))

    shown = {post.pk: post.comments_shown for post in stream.posts}
    assert [c.pk for c in shown[first.pk]] == [c.pk for c in comments[1:4]]
    assert all(c.author is None and timezone.is_aware(c.created_at) for c in shown[first.pk])
    assert [(c.body_html, c.author) for c in shown[second.pk]] == [("<p>Seul avis</p>", world.bob)]
    html = _render_stream(world.bob, world.open_coop)
    assert [n for n in range(5) if f"Avis {n}" in html] == [1, 2, 3]
    assert "Seul avis" in html and "Ancien·ne membre" in html


def test_the_older_posts_link_works_with_and_without_javascript(world, bob_client):
    _publish(world, STREAM_PAGE_SIZE + 1)
    html = _render_stream(world.bob, world.open_coop)

    href = re.search(r'href="\?avant=([^"]+)"', html).group(1)
    hx_get = re.search(r'hx-get="([^"]+/page/\?avant=[^"]+)"', html).group(1)
    assert hx_get.endswith(href) and 'hx-trigger="revealed, click"' in html

    page = bob_client.get(hx_get.replace("&amp;", "&"))
    assert page.status_code == 200
    assert "Nouvelle 0" in page.content.decode() and "Nouvelle 1<" not in page.content.decode()


@pytest.mark.outsider("news:stream_page")
def test_outsiders_do_not_get_pages(world, charlie_client, client):
    url = reverse("news:stream_page", args=[world.private_coop.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.get(reverse("news:stream_page", args=[world.open_coop.code])), hidden=False)
    assert_login_required(client.get(url))


def test_the_stream_costs_the_same_for_5_or_20_rich_posts(world, django_assert_max_num_queries):
    def build(n):
        for post in _publish(
            world, n, images=[ImageUpload(make_image_file(), "Photo"), ImageUpload(make_image_file(), "Autre")]
        ):
            for i in range(4):
                comment_create(post=post, author=world.bob, text=f"@{world.alice.handle} avis {i}")
            reaction_toggle(post=post, user=world.bob, kind="like")
            reaction_toggle(post=post, user=world.alice, kind="thanks")

    build(5)
    with django_assert_max_num_queries(8):
        small = _render_stream(world.bob, world.open_coop)
    build(15)
    with django_assert_max_num_queries(8):
        large = _render_stream(world.bob, world.open_coop)
    assert small.count('class="card post') == 5
    assert large.count('class="card post') == 20
