"""Any app puts its events in the feed through the registry of item kinds (``feed.items``)."""

from __future__ import annotations

import re
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from terrain.cooperatives.services import membership_add
from terrain.feed import items
from terrain.feed.items import ItemKind, register
from terrain.feed.models import Activity
from terrain.feed.services import activity_record
from terrain.news.services import post_create
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db

SAMPLE_APP = "terrain.feed.tests.sample_app"


@pytest.fixture
def sample_app():
    """The sample app installed: its ``feed_items`` module registers its kind at start-up."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, SAMPLE_APP]):
        from terrain.feed.tests.sample_app.feed_items import RENAMED

        assert items.kind_of(RENAMED) is not None
        yield RENAMED
    # As if never installed: the next installation imports (and registers) it again.
    items.unregister(RENAMED)
    sys.modules.pop(f"{SAMPLE_APP}.feed_items", None)


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card (?:post|feed-item)[^"]*" id="((?:post|activity)-\w+)"', html)


def test_an_app_registers_a_kind_and_its_items_show_in_the_feed_in_order(
    world, sample_app, bob_client, django_assert_max_num_queries
):
    cooperative = world.open_coop
    older = post_create(cooperative=cooperative, author=world.alice, body_html="<p>Avant</p>")
    renamed = activity_record(cooperative=cooperative, actor=world.alice, verb=sample_app, target=cooperative)
    newer = post_create(cooperative=cooperative, author=world.alice, body_html="<p>Après</p>")

    html = bob_client.get(reverse("feed:home")).content.decode()

    assert renamed.broadcast  # the kind is heard by the whole cooperative
    cards = _cards(html)
    assert (
        cards.index(f"post-{newer.code}") < cards.index(f"activity-{renamed.code}") < cards.index(f"post-{older.code}")
    )
    assert f"Alice Martin renamed {cooperative.name} (created by" in html


def test_a_kind_costs_one_query_per_page_whatever_its_number_of_items(
    world, sample_app, bob_client, settings, django_assert_max_num_queries
):
    settings.FEED_PAGE_SIZE = 30
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Nouvelle</p>")
    record = lambda: activity_record(  # noqa: E731
        cooperative=world.open_coop, actor=world.alice, verb=sample_app, target=world.private_coop
    )
    record()
    with django_assert_max_num_queries(30) as one:
        bob_client.get(reverse("feed:home"))
    for _ in range(12):
        record()
    with django_assert_max_num_queries(len(one)) as twelve:
        html = bob_client.get(reverse("feed:home")).content.decode()
    assert html.count('class="sample-renamed"') == 13
    # The kind's targets: one statement for the page, sent with its activities (``ModelRows``,
    # the default ``statements`` of a kind with the default ``load``), and no ORM query.
    loads = 'FROM "cooperatives_cooperative" t LEFT JOIN "accounts_user" r0'
    assert sum(loads in q["sql"] for q in twelve) == 1
    assert not any('FROM "cooperatives_cooperative" LEFT OUTER JOIN' in q["sql"] for q in twelve)


def test_a_kind_of_its_own_load_or_with_a_path_in_related_reads_after_the_page():
    from terrain.cooperatives.models import Cooperative
    from terrain.feed.items import ModelRows
    from terrain.tracts.models import TractOffer

    def own(request, kind):
        for activity in request.activities:
            activity.target = None

    template = "feed/items/_member_joined.html"
    assert ItemKind(verb="t1", label="x", model=Cooperative, related=("created_by",), template=template).statements
    assert ItemKind(verb="t2", label="x", model=Cooperative, load=own, template=template).statements is None
    path = ItemKind(verb="t3", label="x", model=TractOffer, related=("tract__file",), template=template)
    assert path.statements is None
    with pytest.raises(ValueError, match="foreign keys only"):
        ModelRows(TractOffer, ("tract__file",))


def test_an_item_whose_target_is_gone_is_left_out_and_the_page_goes_on(world, sample_app):
    from terrain.feed.selectors import feed_page

    doomed = make_user("Dana Roux")
    membership_add(cooperative=world.open_coop, user=doomed, announce=False)
    activity_record(cooperative=world.open_coop, actor=world.alice, verb=sample_app, target=world.open_coop)
    gone = activity_record(cooperative=world.open_coop, actor=world.alice, verb=sample_app, target=world.open_coop)
    Activity.objects.filter(pk=gone.pk).update(target_id=10**9)

    page = feed_page(user=world.bob, limit=1)

    assert page.items == [] and page.has_more and page.last_id == gone.pk
    following = feed_page(user=world.bob, limit=1, before=page.last_id)
    assert [a.verb for a in following.items] == [sample_app]


def test_a_kind_is_registered_once_and_an_activity_names_a_registered_kind(world):
    kind = ItemKind(verb="test_once", label="once", template="feed/items/_member_joined.html")
    register(kind)
    try:
        register(kind)  # the same kind again (a module imported twice): harmless
        with pytest.raises(ValueError, match="registered already"):
            register(ItemKind(verb="test_once", label="twice", template="feed/items/_member_joined.html"))
        with pytest.raises(TypeError):
            activity_record(cooperative=world.open_coop, actor=world.alice, verb="test_once", target=world.alice)
    finally:
        items.unregister("test_once")
    with pytest.raises(LookupError):
        activity_record(cooperative=world.open_coop, actor=world.alice, verb="test_once")
    with pytest.raises(ValueError, match="template"):
        ItemKind(verb="test_bare", label="bare")
