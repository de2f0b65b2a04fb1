from __future__ import annotations

import datetime

import pytest
from django.db import connection

from terrain.news.models import Post
from terrain.news.services import post_create

UTC = datetime.UTC


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the compiled date loader is PostgreSQL's")


@pytest.mark.django_db
def test_dates_with_time_zone_are_parsed_by_psycopgs_compiled_loader(on_postgresql, world):
    from psycopg import adapters
    from psycopg.pq import Format

    from terrain.lib.postgres import UtcLoader

    connection.ensure_connection()
    registered = connection.connection.adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
    assert registered is UtcLoader
    loader = UtcLoader(adapters.types["timestamptz"].oid, connection.connection)
    # The method of psycopg's own loader, compiled (psycopg[binary]), not Django's Python one.
    assert type(loader.load.__self__).__module__ == "psycopg_binary._psycopg"
    assert loader.load(b"2026-03-29 00:59:59.123456+00") == datetime.datetime(2026, 3, 29, 0, 59, 59, 123456, UTC)


@pytest.mark.django_db
def test_dates_read_are_the_ones_written_in_utc(on_postgresql, world):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Heure d'été</p>")
    moments = [
        datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, UTC),  # Paris changes to summer time at 01:00 UTC
        datetime.datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime.datetime(1999, 12, 31, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
    ]
    for moment in moments:
        Post.objects.filter(pk=post.pk).update(created_at=moment)
        read = Post.objects.get(pk=post.pk).created_at
        assert read == moment
        assert read.tzinfo is UTC
    with connection.cursor() as cursor:
        cursor.execute("SELECT NULL::timestamptz, %s::timestamptz", [moments[0]])
        assert cursor.fetchone() == (None, moments[0])


@pytest.mark.django_db
def test_a_connection_in_another_time_zone_reads_dates_as_django_does(on_postgresql, world):
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    from terrain.lib.postgres import UtcLoader

    value = b"2026-06-01 14:30:00+02"
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Paris'")
    try:
        ours = UtcLoader(1184, connection.connection).load(value)
        django = type("Django", (BaseTzLoader,), {"timezone": UTC})(1184, connection.connection).load(value)
        assert ours == django
        assert ours.tzinfo is UTC
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
