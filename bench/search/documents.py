"""Search documents for the benchmark, written straight into ``search_searchdocument`` and the
full-text index, in bulk: forum topics and replies, FAQ entries, library files with their
extracted text.

The objects are the dataset's real rows (``terrain/demo/dataset_toolbox.py`` writes them with
the feed's scale dataset, as the toolbox services would have); each kind's document is made by
that kind's own ``document`` function from the search registry, exactly as ``search_index``
makes it (one function per kind here: ``topic_documents``, ``reply_documents``,
``faq_documents``, ``file_documents``). Only the writing is in bulk: the document rows and the
full-text index entries through ``search.backends.index_rows`` (SQLite) or one
``INSERT … SELECT`` computing the vectors (PostgreSQL), instead of one ``search_index`` call per
object.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BATCH = 2000


@dataclass(frozen=True)
class Row:
    kind: str
    tool: str
    object_id: int
    cooperative_id: int
    title: str
    body: str
    url: str
    author_id: int | None
    created_at: datetime


class Text:
    """French text for the indexing throughput's new items: the dataset generator's sentences."""

    def __init__(self, seed: int):
        from terrain.demo.dataset_toolbox import French

        self.rng = random.Random(seed)
        self.french = French(self.rng)

    def paragraph(self, length: int) -> str:
        return " ".join(self.french.paragraphs(length))

    def title(self) -> str:
        sentence = self.french.sentence()
        return sentence[:90].rsplit(" ", 1)[0] if len(sentence) > 90 else sentence


def rare_words() -> list[str]:
    """The dataset's long tail of made-up proper nouns (``dataset_toolbox.rare_nouns``)."""
    from terrain.demo.dataset_toolbox import rare_nouns

    return rare_nouns()


def _documents(kind: str, queryset, limit: int) -> Iterator[Row]:
    """The documents of the first ``limit`` objects of ``queryset``, made by the kind's own
    ``document`` function (``search.registry``), as ``search_index`` makes them."""
    from terrain.search.registry import kind_of
    from terrain.search.services import BODY_LIMIT

    search_kind = kind_of(kind)
    for obj in queryset.order_by("pk")[:limit].iterator(chunk_size=BATCH):
        document = search_kind.document(obj)
        if document is not None:
            yield Row(
                kind, search_kind.tool or "", obj.pk, document.cooperative_id, document.title[:300],
                document.body[:BODY_LIMIT], document.url, document.author_id, document.created_at,
            )  # fmt: skip


def topic_documents(limit: int) -> Iterator[Row]:
    from terrain.forum.models import Topic

    return _documents("topic", Topic.objects.all(), limit)


def reply_documents(limit: int) -> Iterator[Row]:
    from terrain.forum.models import Reply

    return _documents("reply", Reply.objects.select_related("topic"), limit)


def faq_documents(limit: int) -> Iterator[Row]:
    from terrain.faq.models import Entry

    return _documents("faq", Entry.objects.select_related("cooperative"), limit)


def file_documents(limit: int) -> Iterator[Row]:
    from terrain.library.models import File

    return _documents("file", File.objects.select_related("current_version"), limit)


DOCUMENTS: dict[str, Callable[[int], Iterator[Row]]] = {
    "topics": topic_documents,
    "replies": reply_documents,
    "faq": faq_documents,
    "files": file_documents,
}


def post_weights() -> tuple[list[int], list[int]]:
    """The cooperatives and their cumulative post counts (the indexing throughput's new items go there)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cooperative_id, COUNT(*) FROM news_post GROUP BY cooperative_id ORDER BY cooperative_id")
        rows = cursor.fetchall()
    return [r[0] for r in rows], list(itertools.accumulate(r[1] for r in rows))


def rows(counts: dict[str, int], seed: int) -> Iterator[Row]:
    """Every kind's documents, at most ``counts[kind]`` each (``seed`` unused: the rows are the dataset's)."""
    for name, count in counts.items():
        yield from DOCUMENTS[name](count)


def write(counts: dict[str, int], seed: int, progress: Callable[[str], None] = print) -> dict[str, float]:
    """Write the documents and their index entries; returns how long it took and how many."""
    from django.db import connection, transaction

    from terrain.search.backends import Row as IndexRow
    from terrain.search.backends import index_rows

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_searchdocument")
        next_id = cursor.fetchone()[0] + 1
    written = 0
    total = sum(counts.values())
    batch: list[Row] = []

    def flush() -> None:
        nonlocal next_id, written
        ids = list(range(next_id, next_id + len(batch)))
        next_id += len(batch)
        with transaction.atomic():
            _insert(ids, batch)
            if connection.vendor == "sqlite":
                index_rows(
                    [
                        IndexRow(i, r.cooperative_id, r.kind, r.title, r.body, r.created_at)
                        for i, r in zip(ids, batch, strict=True)
                    ]
                )
        written += len(batch)
        batch.clear()
        if written % (BATCH * 10) == 0 or written == total:
            rate = written / (time.monotonic() - started)
            progress(f"  {written:,}/{total:,} documents ({rate:,.0f}/s)")

    for row in rows(counts, seed):
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('search_searchdocument', 'id'), "
                "(SELECT MAX(id) FROM search_searchdocument))"
            )
    return {"documents": written, "seconds": round(time.monotonic() - started, 1)}


def _insert(ids: list[int], batch: list[Row]) -> None:
    from django.db import connection

    from terrain.search.analysis import words

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_searchdocument (id, kind, object_id, cooperative_id, tool, title, body, url, "
                "author_id, created_at, indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        i,
                        r.kind,
                        r.object_id,
                        r.cooperative_id,
                        r.tool,
                        r.title,
                        r.body,
                        r.url,
                        r.author_id,
                        r.created_at,
                        r.created_at,
                    )
                    for i, r in zip(ids, batch, strict=True)
                ],
            )
        return
    # PostgreSQL: COPY into a staging table, then one INSERT … SELECT that computes the vectors.
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_search_staging (id bigint, kind text, object_id bigint, "
            "cooperative_id bigint, tool text, title text, body text, url text, author_id bigint, "
            "created_at timestamptz, ftitle text, fbody text) ON COMMIT DELETE ROWS"
        )
        with cursor.copy("COPY bench_search_staging FROM STDIN") as copy:
            for i, r in zip(ids, batch, strict=True):
                copy.write_row(
                    (i, r.kind, r.object_id, r.cooperative_id, r.tool, r.title, r.body, r.url, r.author_id,
                     r.created_at, " ".join(words(r.title)), " ".join(words(r.body)))
                )  # fmt: skip
        cursor.execute(
            "INSERT INTO search_searchdocument (id, kind, object_id, cooperative_id, tool, title, body, url, "
            "author_id, created_at, indexed_at, search_vector) SELECT id, kind, object_id, cooperative_id, tool, "
            "title, body, url, author_id, created_at, created_at, "
            "setweight(to_tsvector('french', ftitle), 'A') || setweight(to_tsvector('french', fbody), 'B') "
            "FROM bench_search_staging"
        )
