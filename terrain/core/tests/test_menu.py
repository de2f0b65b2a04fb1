"""The menu's facts about the signed-in member (core.menu): right, and read in one statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.core.menu import member_fact
from terrain.news.services import comment_create, post_create

pytestmark = pytest.mark.django_db

WORKSHOP_LINK = 'href="/atelier/"'


def _menu_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "read_at IS NULL" in q["sql"] or "atelier_strategy_approvers" in q["sql"]]


def test_the_badge_and_the_workshop_link_come_from_one_statement(world, alice_client):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Réunion</div>")
    comment_create(post=post, author=world.bob, text="J'y serai")

    with CaptureQueriesContext(connection) as queries:
        page = alice_client.get(reverse("feed:home")).content.decode()

    assert WORKSHOP_LINK in page  # alice is an official of the section
    assert "1 notification non lue<" in page
    (statement,) = _menu_statements(queries)
    assert "FROM accounts_user" in statement  # read with the member of the request: no round trip of its own


def test_without_the_member_backend_the_facts_cost_one_statement(world, alice, rf):
    from terrain.feed.models import Notification
    from terrain.feed.services import notifications_create

    notifications_create(users=[alice], reason=Notification.Reason.ROLE_CHANGED, cooperative=world.open_coop)
    request = rf.get("/")
    request.user = alice  # as login() leaves it: loaded without the facts
    with CaptureQueriesContext(connection) as queries:
        assert member_fact(request, "unread") == 1
        assert member_fact(request, "workshop_role")
    assert len(queries.captured_queries) == 1


def test_a_member_without_role_nor_news_gets_neither(world, bob_client):
    with CaptureQueriesContext(connection) as queries:
        page = bob_client.get(reverse("structures:list")).content.decode()

    assert WORKSHOP_LINK not in page
    assert 'id="notifications-badge"' in page and " hidden>" in page
    assert len(_menu_statements(queries)) == 1


def test_a_visitor_has_no_facts_and_costs_no_statement(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert member_fact(request, "unread") is None
        assert member_fact(request, "workshop_role") is None
    assert not queries.captured_queries
