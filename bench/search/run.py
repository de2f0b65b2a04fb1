"""Search benchmark: the feed's scale dataset plus search documents, typical French queries
for 200 sampled members timed against a floor, and the indexing throughput.

    .venv/bin/python bench/search/run.py                      # SQLite, full dataset (built on first run)
    .venv/bin/python bench/search/run.py --database postgres
    .venv/bin/python bench/search/run.py --scale small        # smoke run
    .venv/bin/python bench/search/run.py --build-only
    .venv/bin/python bench/search/run.py --files 50000        # fewer library files (counts are parameters)
    .venv/bin/python bench/search/run.py --only most --queries "one word,phrase" --index-items 0

Timed in the process (no HTTP): ``search.selectors.search_for`` as the results page calls it
(memberships read fresh, access, the full-text query, the page's rows and their snippets), and
as the floor the bare full-text query of the same words without any access filtering
(``search.backends.search(scopes=None)``), same run, same connection. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_config import DOCUMENTS, DOCUMENTS_VERSION, Config  # noqa: I001 (sets the path first)

import build
import documents

MARKER_TABLE = "bench_search_dataset"

# The typical queries, by what they stand for (words of the generated text; see documents.py).
QUERIES = {
    "one word": ["assemblée", "salaires", "horaires", "pétition", "formation"],
    "two words": ["grève salaires", "réunion direction", "négociation primes", "travail nuit"],
    "rare word": [],  # filled from the dataset's rare proper nouns
    "common word": ["travail", "direction", "collègues"],
    "phrase": ['"assemblée générale"', '"caisse de grève"', '"fiches de paie"'],
}
TARGETS_MS = {"common word": 200}
TARGET_MS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=sorted(DOCUMENTS), default="full")
    parser.add_argument("--members", type=int, default=200, help="half in 2 cooperatives, half in the most")
    for name in ("topics", "replies", "faq", "files"):
        parser.add_argument(f"--{name}", type=int, help=f"{name} to generate (default: the scale's)")
    parser.add_argument("--index-items", type=int, default=1000, help="items indexed one by one for the throughput")
    parser.add_argument("--only", choices=["2", "most"], help="time only the members of 2 / of the most cooperatives")
    parser.add_argument("--queries", help=f"comma-separated query kinds to time, among: {', '.join(QUERIES)}")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the search documents (not the feed's)")
    return parser.parse_args()


def _marker() -> dict | None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT params FROM {MARKER_TABLE}")  # noqa: S608 (constant)
            row = cursor.fetchone()
    except Exception:
        return None
    return json.loads(row[0]) if row else None


def ensure_documents(counts: dict[str, int], seed: int, *, rebuild: bool) -> dict:
    from django.db import connection, transaction

    wanted = {"version": DOCUMENTS_VERSION, **counts}
    found = _marker()
    if found and not rebuild and {k: found.get(k) for k in wanted} == wanted:
        print(f"Search documents already there ({found.get('seconds')} s to build).")
        return found
    print(f"Writing search documents {counts} …", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
        cursor.execute("DELETE FROM search_searchdocument")
        if connection.vendor == "sqlite":
            # Made again as the current migration makes it (the dataset may predate a change).
            from importlib import import_module

            migration = import_module("terrain.search.migrations.0002_full_text_index")
            cursor.execute("DROP TABLE IF EXISTS search_fts")
            cursor.execute("DELETE FROM search_scope")
            for statement in migration.SQL["sqlite"][0]:
                cursor.execute(statement)
    done = documents.write(counts, seed)
    print("Analysing …", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
    params = {**wanted, **done}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (params TEXT NOT NULL)")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (params) VALUES (%s)", [json.dumps(params)])  # noqa: S608
    print(f"Search documents written: {done['documents']:,} in {done['seconds']} s.", flush=True)
    return params


def sample_members(count: int, seed: int) -> dict[str, list]:
    """Half members of exactly 2 cooperatives, half the members in the most cooperatives."""
    from django.db import connection

    from terrain.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, COUNT(*) FROM cooperatives_membership GROUP BY user_id")
        counts = dict(cursor.fetchall())
    rng = random.Random(seed)
    two = sorted(u for u, n in counts.items() if n == 2)
    rng.shuffle(two)
    most = sorted(counts, key=lambda u: (-counts[u], u))
    half = count // 2
    users = User.objects.in_bulk(two[:half] + most[:half])
    return {
        "2 coops": [users[u] for u in two[:half]],
        f"most coops ({counts[most[half - 1]]}–{counts[most[0]]})": [users[u] for u in most[:half]],
    }


def rare_words() -> list[str]:
    """Words of the dataset's rare tail that are in a few documents (1 to 200)."""
    from terrain.search import backends
    from terrain.search.analysis import parse

    found = []
    for word in documents.rare_words()[::97]:
        total = backends.search(query=parse(word), scopes=None, limit=1).total
        if 1 <= total <= 200:
            found.append(word.lower())
        if len(found) == 4:
            break
    return found


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:7.1f}  p95 {q[94]:7.1f}  p99 {q[98]:7.1f} ms"


def measure(groups: dict[str, list], rounds: int = 1) -> dict:
    from django.db import connection

    from terrain.search import backends
    from terrain.search.analysis import parse
    from terrain.search.selectors import search_for

    results: dict = {}
    for kind, queries in QUERIES.items():
        floor, totals = [], []
        for group, users in groups.items():
            times = []
            for n, user in enumerate(users * rounds):
                query = queries[n % len(queries)]
                started = time.perf_counter()
                page = search_for(user=user, query=query)
                times.append((time.perf_counter() - started) * 1000)
                totals.append(page.total)
                started = time.perf_counter()
                backends.search(query=parse(query), scopes=None)
                floor.append((time.perf_counter() - started) * 1000)
            results[(kind, group)] = times
        results[(kind, "floor")] = floor
        results[(kind, "hits")] = totals
    connection.close()
    return results


def indexing_throughput(items: int, seed: int) -> float:
    """Items per second through ``search_index``, one item per call and transaction, as services do."""
    from datetime import UTC, datetime

    from django.db import transaction

    from terrain.search.models import SearchDocument
    from terrain.search.registry import Document, SearchKind, register
    from terrain.search.services import search_index, search_remove

    text = documents.Text(seed + 1)
    coops, _cumulative = documents.post_weights()

    class Item:
        def __init__(self, pk: int):
            self.pk = pk
            self.document = Document(
                cooperative_id=coops[pk % len(coops)],
                title=text.title(),
                body=text.paragraph(text.rng.randint(300, 2000)),
                url=f"/bench/new/{pk}/",
                created_at=datetime.now(UTC),
            )

    # A kind of the benchmark's own, whose document is made in advance: the time is the index's.
    register(
        SearchKind(key="benchitem", label="bench", tool="forum", model=SearchDocument, document=lambda o: o.document)
    )
    base = 10**12
    objects = [Item(base + n) for n in range(items)]
    started = time.perf_counter()
    for obj in objects:
        with transaction.atomic():
            search_index(kind="benchitem", objects=[obj])
    seconds = time.perf_counter() - started
    search_remove(kind="benchitem", ids=[o.pk for o in objects])
    assert not SearchDocument.objects.filter(object_id__gte=base).exists()
    return items / seconds


def main() -> int:
    args = parse_args()
    counts = {name: getattr(args, name) or default for name, default in DOCUMENTS[args.scale].items()}
    # The rows come with the dataset (``generate_dataset``): other counts, another dataset.
    config = Config(database=args.database, scale=args.scale, documents=counts)
    env = config.env
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    build.ensure_dataset(config)
    dataset = ensure_documents(counts, config.seed, rebuild=args.rebuild)
    if args.build_only:
        return 0
    QUERIES["rare word"] = rare_words()
    groups = sample_members(args.members, config.seed)
    if args.only:
        groups = {k: v for k, v in groups.items() if k.startswith(args.only)}
    if args.queries:
        wanted = [q.strip() for q in args.queries.split(",")]
        for kind in set(QUERIES) - set(wanted):
            del QUERIES[kind]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_searchdocument")
        size = cursor.fetchone()[0]
    print(f"\nSearch benchmark · {args.database} · {size:,} documents ({dataset}) · load {os.getloadavg()[0]:.1f}")
    measure(groups)  # warm-up: caches, statistics, the stemmer
    results = measure(groups)
    failed = False
    for kind in QUERIES:
        target = TARGETS_MS.get(kind, TARGET_MS)
        hits = results[(kind, "hits")]
        words = ", ".join(QUERIES[kind][:4])
        print(f"\n{kind} ({words}) · median results {statistics.median(hits):.0f} · target p95 ≤ {target} ms")
        for group in groups:
            times = results[(kind, group)]
            p95 = statistics.quantiles(sorted(times), n=100, method="inclusive")[94]
            ok = "ok" if p95 <= target else "MISSED"
            failed |= p95 > target
            print(f"  {group:<24} {percentiles(times)}  {ok}")
        print(f"  {'floor (no access)':<24} {percentiles(results[(kind, 'floor')])}")
    if not args.index_items:
        return 1 if failed else 0
    rate = indexing_throughput(args.index_items, config.seed)
    print(f"\nindexing: {rate:,.0f} items/s through search_index (target ≥ 50/s) {'ok' if rate >= 50 else 'MISSED'}")
    return 1 if failed or rate < 50 else 0


if __name__ == "__main__":
    sys.exit(main())
