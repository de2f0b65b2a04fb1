from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from terrain.feed.items import kinds as item_kinds
from terrain.feed.models import Activity
from terrain.feed.selectors import feed_page
from terrain.lib.sql import in_ids
from terrain.news.services import post_create


@pytest.mark.django_db
def test_in_ids_matches_the_ids_whatever_their_number_with_one_statement(world):
    posts = [
        post_create(cooperative=world.open_coop, author=world.alice, body_html=f"<p>Nouvelle {n}</p>") for n in range(5)
    ]
    activities = list(
        Activity.objects.filter(verb="post_published", target_id__in=[p.pk for p in posts])
        .order_by("id")
        .values_list("id", flat=True)
    )
    table = Activity._meta.db_table
    statements = set()
    for wanted in ([], activities[:1], activities[1:4], [*activities, 10**12]):
        where, params = in_ids(connection, "id", wanted)
        statements.add(where)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id", params)  # noqa: S608 (names only)
            assert [row[0] for row in cursor.fetchall()] == [pk for pk in activities if pk in wanted]
    # The same SQL text for every list: compiled (SQLite) or prepared (PostgreSQL) once.
    assert len(statements) == 1


@pytest.mark.django_db
def test_postgresql_prepares_the_feed_statements_a_connection_runs_again(world):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion</p>")

    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    for _ in range(3):
        assert feed_page(user=world.bob).items
    statements = prepared()
    assert any("feed_activity" in sql and "LATERAL" in sql for sql in statements)
    assert any("feed_notification" in sql for sql in statements)


def test_a_joined_table_cannot_leave_out_its_primary_key():
    from terrain.accounts.models import User
    from terrain.lib.rows import Joined, Table

    with pytest.raises(ValueError, match="primary key"):
        Joined(connection, [Table(User, "u", omit=("id",))])


@pytest.mark.django_db
def test_rows_together_gives_each_statement_its_rows_in_order(world):
    from terrain.lib.sql import rows_together

    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Assemblée</p>")
    table = Activity._meta.db_table
    rows = rows_together(
        connection,
        [
            (f"SELECT target_id FROM {table} WHERE target_id = %s", [post.pk]),  # noqa: S608 (names only)
            ("SELECT %s, %s", ["deux", 2]),
            (f"SELECT COUNT(*) FROM {table} WHERE target_id = %s", [-1]),  # noqa: S608 (names only)
        ],
    )
    assert rows == [[(post.pk,)], [("deux", 2)], [(0,)]]


@pytest.mark.django_db(transaction=True)
def test_rows_together_raises_a_database_error_and_the_connection_goes_on():
    from django.db import DatabaseError

    from terrain.lib.sql import rows_together

    with pytest.raises(DatabaseError):
        rows_together(connection, [("SELECT 1", []), ("SELECT * FROM no_such_table", [])])
    assert rows_together(connection, [("SELECT 1", []), ("SELECT 2", [])]) == [[(1,)], [(2,)]]


@pytest.mark.django_db
def test_a_feed_page_reads_in_two_round_trips(world, monkeypatch):
    """On PostgreSQL (psycopg's pipeline mode) the memberships travel with the first probes,
    then the activities with the reads of the kinds of items (``feed.items``): the posts, their
    comments and reactions."""
    if connection.vendor != "postgresql":
        pytest.skip("round trips are PostgreSQL's")
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion</p>")
    connection.ensure_connection()
    real_pipeline = type(connection.connection).pipeline
    with CaptureQueriesContext(connection) as queries:
        entered = []

        def spy(self):
            entered.append(len(queries.captured_queries))
            return real_pipeline(self)

        monkeypatch.setattr(type(connection.connection), "pipeline", spy)
        assert feed_page(user=world.bob).items
    sent = [query["sql"] for query in queries.captured_queries]
    assert entered == [0, 2]
    # The second carries the activities and the reads of every kind heard by a whole cooperative
    # (the page holds no personal notification): the news' images and attached files among them.
    # Nothing is read after it, a kind's targets included.
    of = ("SELECT 1", [])
    second = 1 + sum(len(k.statements(of, 1)) for k in item_kinds().values() if k.statements and k.broadcast)
    assert len(sent) == 2 + second
    assert any("news_postimage" in sql for sql in sent[2:]) and any("news_post_attachments" in sql for sql in sent[2:])
    assert "cooperatives_membership" in sent[0]
    assert "LATERAL" in sent[1] and "feed_notification" in sent[1]
    assert "FROM feed_activity a" in sent[2]
    assert "FROM news_post p" in sent[3]
    assert "news_comment" in sent[4]
    assert "news_reaction" in sent[5]


def _field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_joined_rows_are_the_instances_the_orm_builds(world):
    from terrain.accounts.models import PERSON_UNSHOWN, User
    from terrain.lib.rows import Joined, Table
    from terrain.news.models import Post

    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Assemblée générale</p>")
    select = Joined(connection, [Table(Post, "p"), Table(User, "author", omit=PERSON_UNSHOWN)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select.columns} FROM news_post p LEFT JOIN accounts_user author"  # noqa: S608 (names only)
            " ON author.id = p.author_id WHERE p.id = %s",
            [post.pk],
        )
        ((read_post, read_author),) = select.instances(cursor.fetchall())
    orm_post = Post.objects.get(pk=post.pk)
    assert type(read_post) is Post
    assert _field_values(read_post) == _field_values(orm_post)
    assert read_post._state.adding is False
    assert read_post._state.db == orm_post._state.db
    assert read_post.get_deferred_fields() == set()
    assert read_post.author_id == world.alice.pk
    # The fields left out are deferred, as QuerySet.defer leaves them, and load on access.
    assert read_author.get_deferred_fields() == set(PERSON_UNSHOWN)
    assert read_author.display_name == world.alice.display_name
    assert read_author.date_joined == User.objects.get(pk=world.alice.pk).date_joined
    assert read_author.photo.name == User.objects.get(pk=world.alice.pk).photo.name
    # A saved row: saving it again updates it, it does not insert another.
    read_post.body_html = "<p>Assemblée générale, salle 2</p>"
    read_post.save(update_fields=["body_html"])
    assert Post.objects.get(pk=post.pk).body_html == "<p>Assemblée générale, salle 2</p>"


@pytest.mark.django_db
def test_a_model_with_init_receivers_is_built_by_the_orm(world):
    from django.db.models.signals import post_init

    from terrain.lib.rows import Joined, Table
    from terrain.news.models import Post, PostImage

    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Tract</p>")
    # An image's width and height are kept up to date by a post_init receiver of Django's.
    assert post_init.has_listeners(PostImage)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Post)
    try:
        select = Joined(connection, [Table(Post, "p")])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select.columns} FROM news_post p WHERE p.id = %s", [post.pk])  # noqa: S608
            ((read,),) = select.instances(cursor.fetchall())
    finally:
        post_init.disconnect(receiver, sender=Post)
    assert seen == [post.pk]
    assert read.pk == post.pk
