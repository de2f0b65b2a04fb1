"""Inbox benchmark, part two: the inbox page with 1,000,000 items stored, against the floor.

    .venv/bin/python bench/inbox/page.py                        # SQLite (var/bench/inbox-page.sqlite3)
    .venv/bin/python bench/inbox/page.py --database postgres    # PostgreSQL (terrain_bench_inbox_page)
    .venv/bin/python bench/inbox/page.py --items 100000         # smaller, quicker

The dataset (built once, then reused: a marker table says what it holds): 100 structures,
each with a Mastodon account and ``--items / 100`` items in threads of 4 (questions, critical,
hostile, neutral and positive ones; new, in progress, answered and closed threads; over 90
days), and an official of the first structure, signed in by a session made here. gunicorn
serves Terrain as in production (``DEBUG=0``, ``TERRAIN_BENCH_FLOOR=1``, bench/feed's
``server.py``); 4 requests in flight, taking turns in rounds: ``/bench/floor/``, the inbox's
first page (the threads to handle, most urgent first), the critical ones only, and page 20.

Targets (issue 18): each inbox page's p95 <= 50 ms and <= 4x the floor's p95.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VAR = REPO / "var" / "bench"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_NAME = "terrain_bench_inbox_page"
MARKER = "bench_inbox_page_dataset"
VERSION = 1
STRUCTURES = 100
PER_THREAD = 4
FLOOR = "/bench/floor/"
TARGET_MS, TARGET_RATIO = 50.0, 4.0
sys.path.insert(0, str(REPO / "bench" / "feed"))  # its gunicorn starter
sys.path.insert(0, str(REPO))

TEXTS = (
    ("question", "C'est quand la prochaine assemblée générale ?", "Question mark"),
    ("critical", "Je ne suis pas d'accord, c'est scandaleux", "Criticism: « scandaleux »"),
    ("hostile", "Bande de vendus, honte à vous", "Insult: « vendus »"),
    ("neutral", "Rendez-vous devant l'hôpital à 12 h", "No tone cue found"),
    ("positive", "Bravo les camarades, merci !", "Praise: « bravo », « merci »"),
)
PRIORITY = {"question": 0, "critical": 1, "hostile": 2, "neutral": 3, "positive": 4}
STATUSES = ("new", "new", "new", "in_progress", "in_progress", "answered", "answered", "answered", "closed", "closed")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=600, help="timed requests per scenario")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def environment(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="terrain.settings",
        DEBUG="0",
        SECRET_KEY="bench-inbox-page-" + "s" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        AXES_ENABLED="0",
        TERRAIN_BENCH_FLOOR="1",
        TERRAIN_VAR_DIR=str(VAR),
        TASK_BACKEND="database",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if database == "postgres":
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_NAME}"
    else:
        env["SQLITE_PATH"] = str(VAR / "inbox-page.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], cwd=REPO, env=env, check=True)


def marker() -> dict | None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT params FROM {MARKER}")  # noqa: S608 (a constant)
            row = cursor.fetchone()
    except Exception:
        return None
    return json.loads(row[0]) if row else None


def build(database: str, items: int, env: dict[str, str]) -> None:
    """A fresh database with the dataset (about a minute per 500,000 items)."""
    from django.db import connection

    connection.close()
    if database == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR / f"inbox-page.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_NAME}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{POSTGRES_NAME}"')
    manage(env, "migrate", "-v0")
    from django.db import transaction

    from terrain.atelier.models import ConnectedAccount
    from terrain.inbox.models import Conversation, Item
    from terrain.lib.codes import new_code
    from terrain.structures.models import OfficialRole, StructureKind
    from terrain.structures.services import official_add, structure_create
    from terrain.tests.factories import make_user

    started = time.perf_counter()
    rng = random.Random(2027)
    now = datetime.now(UTC)
    official = make_user("Camille Bench", email="camille@bench.example")
    threads_per = max(1, items // STRUCTURES // PER_THREAD)
    for number in range(STRUCTURES):
        with transaction.atomic():
            structure = structure_create(kind=StructureKind.SYNDICAT, name=f"Syndicat {number}", departement="69")
            if number == 0:
                official_add(structure=structure, user=official, role=OfficialRole.SECRETAIRE)
            account = ConnectedAccount.objects.create(
                structure=structure, network="mastodon", handle=f"@s{number}", remote_id=str(number), secrets={}
            )
            threads = []
            for thread in range(threads_per):
                last = now - timedelta(minutes=rng.randrange(90 * 24 * 60))
                tone = TEXTS[rng.randrange(len(TEXTS))][0]
                threads.append(
                    Conversation(
                        code=new_code(),
                        structure=structure,
                        account=account,
                        network="mastodon",
                        thread_key=f"post-{number}-{thread}",
                        kind="reply",
                        status=rng.choice(STATUSES),
                        tone=tone,
                        priority=PRIORITY[tone],
                        first_item_at=last - timedelta(hours=PER_THREAD),
                        last_item_at=last,
                        items_count=PER_THREAD,
                    )
                )
            Conversation.objects.bulk_create(threads, batch_size=1000)
            rows = []
            for conversation in threads:
                for index in range(PER_THREAD):
                    tone, text, reason = TEXTS[rng.randrange(len(TEXTS))]
                    rows.append(
                        Item(
                            code=new_code(),
                            conversation=conversation,
                            source=f"a{account.pk}",
                            remote_id=f"{conversation.thread_key}-{index}",
                            kind="reply",
                            author_handle=f"@personne{rng.randrange(5000)}@exemple.fr",
                            author_name=f"Personne {rng.randrange(5000)}",
                            text=f"{text} ({conversation.thread_key}-{index})",
                            created_at=conversation.first_item_at + timedelta(hours=index),
                            tone=tone,
                            tone_reason=reason,
                        )
                    )
            Item.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (params TEXT)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s)", [json.dumps({"version": VERSION, "items": items})])  # noqa: S608
    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  dataset: {Item.objects.count():,} items in {time.perf_counter() - started:.0f} s", flush=True)


def session_for_official() -> tuple[str, str]:
    """A signed-in session of the first structure's official, and that structure's code."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from terrain.accounts.backends import MEMBER_BACKEND
    from terrain.accounts.models import User
    from terrain.structures.models import Structure

    user = User.objects.get(email="camille@bench.example")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = MEMBER_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, Structure.objects.get(name="Syndicat 0").code


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
    }


def main() -> int:
    args = parse_args()
    env = environment(args.database)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    found = marker()
    if args.rebuild or found != {"version": VERSION, "items": args.items}:
        print(f"Building the dataset ({args.items:,} items) …", flush=True)
        build(args.database, args.items, env)
    session_key, code = session_for_official()
    from django.db import connection

    from terrain.inbox.models import Item

    print(f"Database: {args.database}; {Item.objects.count():,} items stored; load {os.getloadavg()[0]:.1f}")
    connection.close()
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compile_translations")
    import httpx
    from server import gunicorn

    inbox = f"/boite/{code}/"
    scenarios = {
        "floor": FLOOR,
        "inbox, to handle": inbox,
        "inbox, critical only": f"{inbox}?tone=critical",
        "inbox, page 20": f"{inbox}?page=20",
    }
    cookies = {settings.SESSION_COOKIE_NAME: session_key}
    local = threading.local()
    times: dict[str, list[float]] = {name: [] for name in scenarios}
    errors: list[str] = []
    with gunicorn(SimpleNamespace(env=env), workers=args.workers) as served:

        def get(path: str) -> tuple[float, int, str]:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(base_url=served.base, timeout=60, cookies=cookies)
            started = time.perf_counter()
            response = client.get(path)
            return (time.perf_counter() - started) * 1000, response.status_code, response.text

        for path in list(scenarios.values()) * 10:
            get(path)  # warm-up
        rounds = 6
        per_round = max(1, args.requests // rounds)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for _round in range(rounds):
                for name, path in scenarios.items():
                    for elapsed, status, text in pool.map(get, [path] * per_round):
                        if status != 200 or (name != "floor" and "conversation" not in text):
                            errors.append(f"{path}: {status}")
                        times[name].append(elapsed)
    floor = percentiles(times["floor"])
    ok = not errors
    for name in scenarios:
        stats = percentiles(times[name])
        line = f"  {name:24s} n={len(times[name]):5d}  p50 {stats['p50']:7.2f} ms  p95 {stats['p95']:7.2f} ms"
        if name != "floor":
            ratio = stats["p95"] / floor["p95"]
            passed = stats["p95"] <= TARGET_MS and ratio <= TARGET_RATIO
            ok = ok and passed
            line += f"  {ratio:.2f}x the floor  {'PASS' if passed else 'FAIL'}"
        print(line)
    if errors:
        print(f"  {len(errors)} wrong answers, for example {errors[:3]}")
    print(f"  targets p95 <= {TARGET_MS:.0f} ms and <= {TARGET_RATIO:.0f}x the floor: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
