from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from terrain.accounts.models import PERSON_UNSHOWN
from terrain.cooperatives.models import Membership
from terrain.cooperatives.services import membership_add
from terrain.feed.items import ModelRows
from terrain.feed.items import kinds as item_kinds
from terrain.feed.models import Activity
from terrain.feed.selectors import COOPERATIVE_UNSHOWN, activities_for_display, feed_page
from terrain.news.feed_items import COMMENT_ADDED, POST_PUBLISHED
from terrain.news.models import Comment, Post
from terrain.news.services import comment_create, post_create
from terrain.tests.factories import make_user


@pytest.mark.django_db
def test_feed_merges_cooperatives_newest_first_and_pages_by_keyset(world):
    first = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Un</p>")
    second = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Deux</p>")
    third = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Trois</p>")

    page = feed_page(user=world.bob, limit=2)
    assert [a.post for a in page.items] == [third, second]
    assert page.has_more

    rest = feed_page(user=world.bob, limit=2, before=page.last_id)
    posts = [a.post for a in rest.items if a.verb == POST_PUBLISHED]
    assert posts[0] == first
    assert third not in posts


@pytest.mark.django_db
def test_outsider_feed_is_empty_and_muting_hides_a_cooperative(world):
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Privé</p>")
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Ouvert</p>")
    assert feed_page(user=world.charlie).items == []

    Membership.objects.filter(user=world.bob, cooperative=world.open_coop).update(muted=True)
    cooperatives = {a.cooperative_id for a in feed_page(user=world.bob).items}
    assert cooperatives == {world.private_coop.pk}
    # Filtering on the muted cooperative still shows it.
    only = feed_page(user=world.bob, cooperative=world.open_coop).items
    assert only and all(a.cooperative_id == world.open_coop.pk for a in only)


@pytest.mark.django_db
def test_comments_reach_followers_only(world):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion jeudi</p>")
    dana = make_user("Dana Roux")
    Membership.objects.create(cooperative=world.open_coop, user=dana)
    comment = comment_create(post=post, author=world.bob, text="J'y serai")

    alice_comments = [a.comment for a in feed_page(user=world.alice).items if a.verb == COMMENT_ADDED]
    dana_comments = [a.comment for a in feed_page(user=dana).items if a.verb == COMMENT_ADDED]
    assert alice_comments == [comment]
    assert dana_comments == []


@pytest.mark.django_db
def test_comments_on_followed_posts_follow_muting_filtering_and_leaving(world):
    open_post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Ouvert</p>")
    private_post = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Privé</p>")
    on_open = comment_create(post=open_post, author=world.bob, text="Ouvert, commenté")
    on_private = comment_create(post=private_post, author=world.bob, text="Privé, commenté")

    def comments(**kwargs):
        return [a.comment for a in feed_page(user=world.alice, **kwargs).items if a.verb == COMMENT_ADDED]

    assert comments() == [on_private, on_open]
    Membership.objects.filter(user=world.alice, cooperative=world.open_coop).update(muted=True)
    assert comments() == [on_private]
    # Filtering on the muted cooperative shows its comments, and only them.
    assert comments(cooperative=world.open_coop) == [on_open]
    assert comments(cooperative=world.private_coop) == [on_private]
    # A cooperative left: its comments leave the feed, even filtered on.
    Membership.objects.filter(user=world.alice, cooperative=world.open_coop).delete()
    assert comments() == [on_private]
    assert comments(cooperative=world.open_coop) == []


@pytest.mark.django_db
def test_new_items_after_a_known_top(world):
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Avant</p>")
    top = feed_page(user=world.bob).first_id
    assert feed_page(user=world.bob, after=top).items == []
    newer = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Après</p>")
    assert [a.post for a in feed_page(user=world.bob, after=top).items] == [newer]


@pytest.mark.django_db
def test_probing_active_cooperatives_first_misses_nothing_on_any_page(world):
    """Probing only the cooperatives whose last activity can still count gives, page
    after page, exactly the broadcasts of every cooperative newest first, also after
    deletions leave some marks too high and with quiet cooperatives left behind."""
    import random

    from terrain.cooperatives.services import cooperative_create_open
    from terrain.news.services import post_delete

    rng = random.Random(7)
    coops = [world.open_coop]
    for n in range(14):
        coop = cooperative_create_open(name=f"Coopérative {n}", by=world.alice)
        Membership.objects.create(cooperative=coop, user=world.bob)
        coops.append(coop)
    busy, quiet = coops[:5], coops[5:]
    posts = [
        post_create(cooperative=rng.choice(quiet), author=world.alice, body_html=f"<p>Ancienne {n}</p>")
        for n in range(20)
    ]
    posts += [
        post_create(cooperative=rng.choice(busy), author=world.alice, body_html=f"<p>Nouvelle {n}</p>")
        for n in range(40)
    ]
    # Delete the newest post of a few cooperatives: their marks now point above their real newest item.
    for post in sorted(posts, key=lambda p: -p.pk)[:12:3]:
        post_delete(post=post, by=world.alice)

    coop_ids = list(Membership.objects.filter(user=world.bob).values_list("cooperative_id", flat=True))
    # Bob follows no post: his feed is the broadcasts alone, newest first.
    broadcasts = Activity.objects.filter(cooperative_id__in=coop_ids, broadcast=True)
    everything = list(broadcasts.order_by("-id").values_list("id", flat=True))
    assert len(everything) > 50
    for limit in (1, 2, 3, 5, 10):
        seen, before = [], None
        while True:
            page = feed_page(user=world.bob, limit=limit, before=before)
            seen += [a.pk for a in page.items]
            if not page.has_more:
                break
            before = page.last_id
        assert seen == everything, limit
    # And new items above a point: the newest ones above it, nothing else.
    point = everything[30]
    assert [a.pk for a in feed_page(user=world.bob, limit=100, after=point).items] == everything[:30]


@pytest.mark.django_db
def test_polling_with_nothing_new_reads_no_activity(world, django_assert_num_queries):
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Avant</p>")
    top = feed_page(user=world.bob).first_id
    # Memberships, then the personal notifications: no cooperative has anything newer.
    with django_assert_num_queries(2):
        assert feed_page(user=world.bob, after=top).items == []


def _values(instance, like=None) -> dict:
    """The loaded values of ``instance``; with ``like``, those ``like`` loaded (not deferred)."""
    deferred = (like or instance).get_deferred_fields()
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
        if field.attname not in deferred
    }


@pytest.mark.django_db
def test_activities_load_as_the_orm_loads_them(world, django_assert_num_queries):
    """The plain SQL of ``activities_for_display`` and of the news' item kinds gives the objects
    select_related gives: same values and types (aware dates, booleans), None where a person was
    deleted."""
    dana = make_user("Dana Roux")
    membership_add(cooperative=world.open_coop, user=dana)
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion jeudi</p>")
    orphan = post_create(cooperative=world.open_coop, author=dana, body_html="<p>Sans autrice</p>")
    comment_create(post=post, author=dana, text="J'y serai")
    comment_create(post=post, author=world.bob, text="Moi aussi")
    dana.delete()
    ids = list(Activity.objects.values_list("pk", flat=True))
    expected = {a.pk: a for a in Activity.objects.filter(pk__in=ids).select_related("cooperative", "actor")}
    posts = Post.objects.select_related("author").in_bulk()
    comments = Comment.objects.select_related("author", "post", "post__author").in_bulk()

    # The activities with the posts, their last comments, reactions, images and attached library
    # files (one round trip, each statement counted); the comments of the page. On PostgreSQL
    # the reads of every other kind travel with them (one statement each); SQLite runs only those
    # of the kinds on the page.
    others = sum(1 for k in item_kinds().values() if isinstance(k.statements, ModelRows) and k.broadcast)
    with django_assert_num_queries(7 + (others if connection.vendor == "postgresql" else 0)):
        loaded = activities_for_display(ids=ids, user=world.bob, memberships=[])
    assert [a.pk for a in loaded] == sorted(ids, reverse=True)
    joined = [a for a in loaded if a.verb == "member_joined"]
    assert joined and all(a.target is None for a in joined)  # a kind without a target
    loaded = [a for a in loaded if a.verb != "member_joined"]
    for activity in loaded:
        orm = expected[activity.pk]
        assert _values(activity) == _values(orm)
        for name in ("cooperative", "actor"):
            mine, theirs = getattr(activity, name), getattr(orm, name)
            assert (mine is None and theirs is None) or _values(mine) == _values(theirs, like=mine)
        theirs = (posts if activity.verb == POST_PUBLISHED else comments)[activity.target_id]
        assert _values(activity.target) == _values(theirs)
        mine, theirs = activity.target.author, theirs.author
        assert (mine is None and theirs is None) or _values(mine) == _values(theirs, like=mine)
        assert _values(activity.post) == _values(posts[activity.post.pk])
    assert any(a.actor is None for a in loaded)
    assert any(a.target_id == orphan.pk and a.post.author is None for a in loaded)
    assert all(timezone.is_aware(a.created_at) and isinstance(a.broadcast, bool) for a in loaded)
    assert {a.comment.body_html for a in loaded if a.verb == COMMENT_ADDED} >= {"<p>Moi aussi</p>"}
    assert loaded[0]._state.db == "default" and not loaded[0]._state.adding
    # Only what no feed item shows is left out (deferred): a password hash never reaches a card.
    people = [a.actor for a in loaded if a.actor] + [a.post.author for a in loaded if a.post.author]
    assert all(person.get_deferred_fields() == set(PERSON_UNSHOWN) for person in people)
    assert all(a.cooperative.get_deferred_fields() == set(COOPERATIVE_UNSHOWN) for a in loaded)
    assert all(not a.get_deferred_fields() and not a.post.get_deferred_fields() for a in loaded)


@pytest.mark.django_db
def test_personal_notifications_are_read_newest_first_and_checked_one_by_one(world):
    """On PostgreSQL the membership check of the personal notifications stays a check per row
    (not a join): the notifications come from their index newest first and the scan stops with
    the page, instead of reading every notification of the member to sort them."""
    from django.db import connection

    from terrain.feed.selectors import _first_statement

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    sql, params = _first_statement(user_id=world.bob.pk, only=0, before=None, after=None, want=21)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "SubPlan" in plan
    assert "Semi Join" not in plan
