"""``SearchKind.reach``: a kind found beyond the viewer's own cooperatives (``selectors.scopes_for``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from terrain.cooperatives.services import cooperative_set_tools, membership_add
from terrain.news.services import post_create
from terrain.search.models import SearchDocument
from terrain.search.registry import Document, SearchKind, register, unregister
from terrain.search.selectors import cooperatives_above, scopes_for, search_for
from terrain.search.services import search_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def reaching_kinds():
    """Two kinds sharing one reach with the FAQ's and the templates' offered kinds."""
    for key, tool in (("testreach", "faq"), ("testreachtoo", "modeles")):
        register(
            SearchKind(
                key=key,
                label=key,
                tool=tool,
                model=SearchDocument,
                document=lambda doc: Document(
                    cooperative_id=doc.cooperative_id,
                    title=doc.title,
                    body="",
                    url="/",
                    created_at=timezone.now(),
                ),
                reach=cooperatives_above,
            )
        )
    yield
    unregister("testreach")
    unregister("testreachtoo")


def _scopes(user, **kwargs):
    return {(scope.kinds, scope.cooperative_ids) for scope in scopes_for(user=user, **kwargs)}


def test_cooperatives_above(world):
    ids = sorted(cooperatives_above(None, [world.private_coop.pk, world.open_coop.pk]))
    assert ids == sorted([world.ud.cooperative.pk, world.syndicat.cooperative.pk])
    assert cooperatives_above(None, [world.ud.cooperative.pk]) == []


def test_a_reaching_kind_adds_its_own_scope_only(world, bob, reaching_kinds, django_assert_max_num_queries):
    above = tuple(sorted([world.ud.cooperative.pk, world.syndicat.cooperative.pk]))
    with django_assert_max_num_queries(3):  # memberships, then one reach shared by every kind
        scopes = _scopes(bob)
    assert (("testreach",), above) in scopes and (("testreachtoo",), above) in scopes
    # Never searched in the viewer's own cooperatives.
    assert all("testreach" not in kinds for kinds, coops in scopes if world.private_coop.pk in coops)
    # Only from the chosen cooperative; and not from where the kind's tool is off.
    assert (("testreach",), above) not in _scopes(bob, cooperative_id=world.open_coop.pk)
    cooperative_set_tools(cooperative=world.private_coop, by=world.alice, enabled={"news"})
    assert all("testreach" not in kinds for kinds, _coops in _scopes(bob))


def test_a_cooperative_in_two_scopes_keeps_the_kinds_of_both(world, bob, reaching_kinds):
    """bob is a member of the union too, where the FAQ is off: its posts are his own kinds there,
    the reaching FAQ kind comes from his section below; the result loop keeps both."""
    union = world.syndicat.cooperative
    membership_add(cooperative=union, user=bob)
    cooperative_set_tools(cooperative=union, by=world.alice, enabled={"news"})
    post = post_create(cooperative=union, author=world.alice, body_html="<p>Congrès fédéral</p>")
    offered = SearchDocument.objects.get(kind="post", object_id=post.pk)
    search_index(kind="testreach", objects=[offered])
    found = {r.document.kind for r in search_for(user=bob, query="congrès").results}
    assert found == {"post", "testreach"}
    assert search_for(user=world.charlie, query="congrès").results == []
