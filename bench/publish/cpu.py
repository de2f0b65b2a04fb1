"""CPU and SQL per publication, in-process: where the engine's own time goes.

    .venv/bin/python bench/publish/cpu.py                        # SQLite, 400 publications
    .venv/bin/python bench/publish/cpu.py --database postgres
    .venv/bin/python bench/publish/cpu.py --profile              # cProfile, top functions

Starts the light Mastodon peer (``fake_mastodon.py``, or mastodon-mock with
``--peer mock``) in another process, so that its CPU is not counted, creates the
benchmark's data (``load.py``) due now, and runs the publications one batch task
after another in this process through ``publications_run_batch`` (``--threads``,
default one): the CPU time (``time.process_time``)
and the number of SQL queries per publication are the engine's own cost, the
figure that bounds how many publications per second one core can send.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORK = ROOT / "var" / "bench-publish"
PG_URL = "postgres://postgres@127.0.0.1:5432/terrain_bench_publish_cpu"

PEER = """
import sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import django
from django.conf import settings
settings.configure()
from fake_mastodon import FakeMastodon
fake = FakeMastodon()
print(fake.start(), flush=True)
while True:
    time.sleep(3600)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--publications", type=int, default=400)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="threads per batch, as ATELIER_PUBLISH_THREADS")
    parser.add_argument("--profile", action="store_true", help="print the top functions (cProfile)")
    parser.add_argument("--peer", choices=["fake", "mock"], default="fake", help="the light peer, or mastodon-mock")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one publication")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    if args.peer == "mock":
        from run import start_peer

        peer, base, _db = start_peer(args.accounts)
    else:
        peer = subprocess.Popen(
            [sys.executable, "-c", PEER, str(ROOT), str(HERE)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        base = peer.stdout.readline().strip()
    from run import site_env

    env = {
        **site_env(base),
        "TASK_BACKEND": "immediate",
        "ATELIER_PUBLISH_THREADS": str(args.threads),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if args.database == "postgres":
        name = PG_URL.rsplit("/", 1)[1]
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
        env["DATABASE_URL"] = PG_URL
    else:
        path = WORK / "cpu.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(path)
    os.environ.update(env)
    try:
        run(args)
    finally:
        peer.terminate()


def run(args) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    sizes = ["--publications", str(args.publications), "--accounts", str(args.accounts), "--start-in", "-5"]
    subprocess.run([sys.executable, str(HERE / "load.py"), *sizes, "--spread", "1"], cwd=ROOT, check=True)
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from terrain.atelier.models import Publication
    from terrain.atelier.tasks import publications_run_batch

    ids = list(Publication.objects.order_by("pk").values_list("pk", flat=True))
    kept = ids.pop()  # run alone at the end, for --sql
    batches = [ids[i : i + args.batch] for i in range(0, len(ids), args.batch)]
    # Warm up on the first batch (imports, connections, caches).
    publications_run_batch.call(batches[0])
    timed = [pk for batch in batches[1:] for pk in batch]
    profiler = cProfile.Profile() if args.profile else None
    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        outcomes = []
        for batch in batches[1:]:
            outcomes += publications_run_batch.call(batch)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    published = outcomes.count("published")
    count = max(len(timed), 1)
    print(
        f"{args.database}: {len(timed)} publications ({published} published), "
        f"CPU {cpu / count * 1000:.2f} ms each, wall {wall / count * 1000:.2f} ms each, "
        f"{len(queries) / count:.1f} queries each"
    )
    if args.sql:
        with CaptureQueriesContext(connection) as one:
            publications_run_batch.call([kept])
        for query in one.captured_queries:
            print(" ", query["sql"][:300])
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())


if __name__ == "__main__":
    main()
