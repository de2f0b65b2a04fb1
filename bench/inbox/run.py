"""Inbox benchmark, part one: ingesting 100,000 items from 500 accounts with 4 workers.

    .venv/bin/python bench/inbox/run.py                          # SQLite (var/bench/inbox.sqlite3)
    .venv/bin/python bench/inbox/run.py --database postgres      # PostgreSQL (postgres@127.0.0.1:5432)
    .venv/bin/python bench/inbox/run.py --items 10000 --accounts 50   # smaller, quicker

A fresh database (migrated), ``--accounts`` Mastodon accounts spread over 100 structures,
each with ``--items / --accounts`` mentions waiting on a local peer that pages them like
Mastodon (``peer.py``, its own process). ``--workers`` processes then do what the task
worker does for the ``inbox-due`` job: claim a due stream (``services.claim_stream``) and read
it (``services.read_account_stream``: pages of 40, each page's items cleaned, triaged,
threaded and stored with the stream's cursor in one transaction), until no stream is due.

Printed: items stored (must equal the items offered: nothing lost or doubled), wall time,
items per second ingested and classified, the CPU of the workers, the peer and PostgreSQL,
and the classifier alone (items per second on one core). Target (issue 18): >= 500 items
per second on PostgreSQL with 4 workers. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VAR = REPO / "var" / "bench"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_NAME = "terrain_bench_inbox"
TARGET_PER_SECOND = 500
STRUCTURES = 100
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args()


def environment(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="terrain.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        ALLOWED_HOSTS="127.0.0.1",
        TERRAIN_VAR_DIR=str(VAR),
        TASK_BACKEND="database",
        LOG_LEVEL="WARNING",
        OUTBOUND_ALLOWED_HOSTS="127.0.0.1",  # the peer runs on the loopback
        PYTHONUNBUFFERED="1",
    )
    if database == "postgres":
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_NAME}"
    else:
        env["SQLITE_PATH"] = str(VAR / "inbox.sqlite3")
    return env


def fresh_database(database: str, env: dict[str, str]) -> None:
    if database == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR / f"inbox.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_NAME}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{POSTGRES_NAME}"')
    subprocess.run([sys.executable, str(REPO / "manage.py"), "migrate", "-v0"], cwd=REPO, env=env, check=True)


def setup_accounts(accounts: int, peer_url: str) -> None:
    """Structures, their Mastodon accounts on the peer, and each stream read from the start."""
    from django.utils import timezone

    from terrain.atelier.models import ConnectedAccount
    from terrain.inbox.models import Stream
    from terrain.inbox.services import account_source
    from terrain.structures.models import StructureKind
    from terrain.structures.services import structure_create

    structures = [
        structure_create(kind=StructureKind.SYNDICAT, name=f"Syndicat {n}", departement="69") for n in range(STRUCTURES)
    ]
    made = ConnectedAccount.objects.bulk_create(
        ConnectedAccount(
            structure=structures[n % STRUCTURES],
            network="mastodon",
            api_base=peer_url,
            remote_id=str(n),
            handle=f"@section{n}",
            secrets={"access_token": f"bench-token-{n}"},
        )
        for n in range(accounts)
    )
    now = timezone.now()
    # From the first mention (a new account reads only the newest page; here, everything waits).
    Stream.objects.bulk_create(
        Stream(source=account_source(account), name="notifications", cursor="0", next_at=now) for account in made
    )


WORKER = """
import os, sys, django
sys.path.insert(0, {repo!r})
django.setup()
from django.utils import timezone
from terrain.atelier.models import ConnectedAccount
from terrain.inbox import services
from terrain.inbox.models import Stream
read = 0
while True:
    due = list(Stream.objects.filter(next_at__lte=timezone.now()).order_by("?").values_list("pk", flat=True)[:8])
    if not due:
        break
    for pk in due:
        stream = Stream.objects.get(pk=pk)
        if not services.claim_stream(stream):
            continue
        account = ConnectedAccount.objects.select_related("structure").get(pk=int(stream.source[1:]))
        read += services.read_account_stream(account, stream.name)
print(read)
"""


def main() -> None:
    args = parse_args()
    env = environment(args.database)
    os.environ.update(env)
    per_account = args.items // args.accounts
    print(f"Database: {args.database}; {args.accounts} accounts x {per_account} mentions; {args.workers} workers")
    fresh_database(args.database, env)
    import django

    django.setup()
    from proc import cpu_seconds, descendants

    peer = subprocess.Popen(
        [sys.executable, str(HERE / "peer.py"), str(per_account)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        peer_url = peer.stdout.readline().strip()
        setup_accounts(args.accounts, peer_url)
        from django.db import connection

        connection.close()
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER.format(repo=str(REPO))], env=env, stdout=subprocess.PIPE, text=True
            )
            for _ in range(args.workers)
        ]
        worker_cpu = 0.0
        while any(w.poll() is None for w in workers):
            worker_cpu = max(worker_cpu, sum(cpu_seconds(w.pid) for w in workers if w.poll() is None))
            time.sleep(0.2)
        wall = time.perf_counter() - started
        for worker in workers:
            worker.communicate()
            if worker.returncode:
                raise SystemExit(f"a worker failed (exit {worker.returncode})")
        peer_cpu = cpu_seconds(peer.pid) + sum(cpu_seconds(pid) for pid in descendants(peer.pid))
    finally:
        peer.terminate()
    from terrain.inbox.models import Conversation, Item

    stored = Item.objects.count()
    distinct = Item.objects.values("source", "remote_id").distinct().count()
    offered = per_account * args.accounts
    print(
        f"  items offered {offered:,}; stored {stored:,}; distinct {distinct:,}; conversations "
        f"{Conversation.objects.count():,}"
    )
    print(f"  wall {wall:.1f} s: {stored / wall:,.0f} items/s ingested and classified")
    print(f"  CPU: workers >= {worker_cpu:.1f} s (sampled), peer {peer_cpu:.1f} s")
    classify_rate = _classifier_rate()
    print(f"  the classifier alone: {classify_rate:,.0f} items/s on one core")
    ok = stored == offered == distinct and stored / wall >= TARGET_PER_SECOND
    verdict = "PASS" if ok else "FAIL"
    print(f"  target >= {TARGET_PER_SECOND} items/s, nothing lost or doubled: {verdict}; load {os.getloadavg()[0]:.1f}")


def _classifier_rate() -> float:
    from peer import COMMENTS

    from terrain.inbox.tone import classify

    texts = [f"{COMMENTS[n % len(COMMENTS)]} {n}" for n in range(20_000)]
    started = time.process_time()
    for text in texts:
        classify(text)
    return len(texts) / (time.process_time() - started)


if __name__ == "__main__":
    main()
