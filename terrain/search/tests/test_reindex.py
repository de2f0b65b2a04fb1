from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from terrain.news.services import comment_create, post_create
from terrain.search import backends
from terrain.search.analysis import parse
from terrain.search.models import SearchDocument
from terrain.search.selectors import search_for

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_and_is_idempotent(world):
    post = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Grève jeudi</p>")
    comment_create(post=post, author=world.bob, text="Les salariés suivront")
    # A lost index (a restored backup): documents gone, stale ones left behind.
    SearchDocument.objects.all().delete()
    backends.remove_ids(list(range(1, 100)))
    SearchDocument.objects.create(
        kind="post",
        object_id=999_999,
        cooperative=world.private_coop,
        title="Fantôme",
        url="/",
        created_at=post.created_at,
    )
    assert not search_for(user=world.bob, query="grève").results
    for _ in range(2):
        call_command("search_reindex", batch=1)
        assert SearchDocument.objects.count() == 2
        assert [r.document.kind for r in search_for(user=world.bob, query="grève").results] == ["post"]
        assert [r.document.kind for r in search_for(user=world.bob, query="salarié").results] == ["comment"]
        assert backends.search(query=parse("grève"), scopes=None).total == 1
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM search_fts")
                assert cursor.fetchone()[0] == 2
    call_command("search_reindex", kind=["comment"])
    with pytest.raises(CommandError):
        call_command("search_reindex", kind=["nope"])
