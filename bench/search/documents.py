"""Search documents for the benchmark, written straight into ``search_searchdocument`` and the
full-text index, in bulk: forum topics and replies, FAQ entries, library files with their
extracted text. Until the toolbox apps land, the rows are synthetic (one function per kind,
``make_<kind>``); their dataset code will replace these.

The text is French and realistic enough for a full-text index: sentences of the writing coach's
corpus and of the demo (``terrain/demo/text.py``), between runs of words drawn with Zipf's law from
their vocabulary, plus a long tail of rare proper nouns (places, companies). Nothing is downloaded.
The documents are spread over the cooperatives as the posts are (a cooperative with many posts has
many documents), over the last 12 months.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BATCH = 2000
SYLLABLES = [
    "bar",
    "bel",
    "ber",
    "bon",
    "cal",
    "cha",
    "dor",
    "fer",
    "gal",
    "lan",
    "lor",
    "mar",
    "mon",
    "mor",
    "nel",
    "pal",
    "quer",
    "ran",
    "ril",
    "sal",
    "tel",
    "val",
    "ver",
    "vil",
    "zan",
]


@dataclass(frozen=True)
class Row:
    kind: str
    tool: str
    cooperative_id: int
    title: str
    body: str
    created_at: datetime


class Text:
    """French text from the corpus's sentences and its vocabulary's word frequencies."""

    def __init__(self, seed: int, rare_words: int = 20_000):
        from terrain.demo import text as demo

        posts = json.loads((REPO / "terrain/coach/corpus/posts.json").read_text())["posts"]
        corpus = " ".join(p["text"] for p in posts)
        demo_sentences = [
            f"{o} {s} {d}" for o in demo.OPENINGS[:6] for s in demo.SUBJECTS for d in demo.DETAILS[:8]
        ] + demo.COMMENTS
        self.sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", corpus) if len(s.strip()) > 20]
        self.sentences += demo_sentences
        counts = Counter(w for w in re.findall(r"[^\W\d_]{3,}", corpus + " " + " ".join(demo_sentences)))
        self.rng = random.Random(seed)
        rare = {self._proper_noun() for _ in range(rare_words)}
        self.vocabulary = [w for w, _n in counts.most_common()] + sorted(rare)
        # Zipf: the word of rank r is drawn with a weight 1 / r.
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(self.vocabulary) + 1)))

    def _proper_noun(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))).capitalize()

    def word(self) -> str:
        return self.vocabulary[bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]

    def words(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def paragraph(self, length: int) -> str:
        """About ``length`` characters: real sentences between runs of drawn words."""
        parts, size = [], 0
        while size < length:
            part = (
                self.sentence() if self.rng.random() < 0.6 else self.words(self.rng.randint(6, 18)).capitalize() + "."
            )
            parts.append(part)
            size += len(part) + 1
        return " ".join(parts)

    def title(self) -> str:
        sentence = self.sentence()
        return sentence[:90].rsplit(" ", 1)[0] if len(sentence) > 90 else sentence


def make_topic(text: Text, coop: int, when: datetime) -> Row:
    return Row("topic", "forum", coop, text.title(), text.paragraph(text.rng.randint(200, 900)), when)


def make_reply(text: Text, coop: int, when: datetime) -> Row:
    body = text.paragraph(text.rng.randint(60, 500))
    return Row("reply", "forum", coop, body[:100].rsplit(" ", 1)[0], body, when)


def make_faq(text: Text, coop: int, when: datetime) -> Row:
    question = text.title().rstrip(".") + " ?"
    return Row("faq", "faq", coop, question, text.paragraph(text.rng.randint(300, 1200)), when)


def make_file(text: Text, coop: int, when: datetime) -> Row:
    name = "-".join(text.words(text.rng.randint(2, 4)).lower().split()) + text.rng.choice([".pdf", ".odt", ".docx"])
    return Row("file", "library", coop, name, text.paragraph(text.rng.randint(1000, 3000)), when)


MAKERS: dict[str, Callable[[Text, int, datetime], Row]] = {
    "topics": make_topic,
    "replies": make_reply,
    "faq": make_faq,
    "files": make_file,
}


def post_weights() -> tuple[list[int], list[int]]:
    """The cooperatives and their cumulative post counts: documents go where the posts are."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cooperative_id, COUNT(*) FROM news_post GROUP BY cooperative_id ORDER BY cooperative_id")
        rows = cursor.fetchall()
    return [r[0] for r in rows], list(itertools.accumulate(r[1] for r in rows))


def rows(counts: dict[str, int], seed: int) -> Iterator[Row]:
    text = Text(seed)
    coops, cumulative = post_weights()
    now = datetime.now(UTC)
    for name, count in counts.items():
        make = MAKERS[name]
        for _ in range(count):
            coop = coops[bisect.bisect(cumulative, text.rng.random() * cumulative[-1])]
            when = now - timedelta(seconds=text.rng.randint(0, 365 * 86400))
            yield make(text, coop, when)


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
                "created_at, indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        i,
                        r.kind,
                        i,
                        r.cooperative_id,
                        r.tool,
                        r.title,
                        r.body,
                        f"/bench/{r.kind}/{i}/",
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
            "CREATE TEMP TABLE IF NOT EXISTS bench_search_staging (id bigint, kind text, cooperative_id bigint, "
            "tool text, title text, body text, created_at timestamptz, ftitle text, fbody text) ON COMMIT DELETE ROWS"
        )
        with cursor.copy("COPY bench_search_staging FROM STDIN") as copy:
            for i, r in zip(ids, batch, strict=True):
                copy.write_row(
                    (i, r.kind, r.cooperative_id, r.tool, r.title, r.body, r.created_at,
                     " ".join(words(r.title)), " ".join(words(r.body)))
                )  # fmt: skip
        cursor.execute(
            "INSERT INTO search_searchdocument (id, kind, object_id, cooperative_id, tool, title, body, url, "
            "created_at, indexed_at, search_vector) SELECT id, kind, id, cooperative_id, tool, title, body, "
            "'/bench/' || kind || '/' || id || '/', created_at, created_at, "
            "setweight(to_tsvector('french', ftitle), 'A') || setweight(to_tsvector('french', fbody), 'B') "
            "FROM bench_search_staging"
        )
