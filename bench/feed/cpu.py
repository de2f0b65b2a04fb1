"""CPU per feed request, in-process: steadier than wall-clock figures on a shared machine.

    .venv/bin/python bench/feed/cpu.py                       # SQLite dataset of run.py
    .venv/bin/python bench/feed/cpu.py --database postgres
    .venv/bin/python bench/feed/cpu.py --profile "first page, 200 coops"   # cProfile of one scenario

Signs ``--members`` members in (as run.py does), then requests each scenario's
pages through Django's WSGI handler (all middleware, no HTTP, no gunicorn) and
prints the CPU time (``time.process_time``) per request: median and mean over
``--repeat`` passes after one warming pass, the mean of the best pass (the
steadiest figure when other processes share the machine), the number of SQL
queries and the size of the page.
With ``--callgrind``, the same runs under valgrind and prints instructions
per request instead (one pass, counted only during the requests, with no full
collection of the garbage collector pending when it starts): the figure to
compare when other processes load the machine. With ``--profile``, the
statistics also go to ``var/bench/cpu.prof`` (for ``pstats``). ``--cold``
empties the card cache before each request (the cost of a card not cached yet).
``--garbage SCENARIO`` counts, by type, the objects each request of that scenario
leaves in reference cycles: what only the cyclic garbage collector frees.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import io
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from config import VAR, Config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help="the caches (feed cards, sessions) in Redis")
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    parser.add_argument("--members", type=int, default=20, help="members signed in, half per group")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over every member")
    parser.add_argument("--profile", default="", help="cProfile this scenario and print the top functions")
    parser.add_argument("--only", default="", help="run only this scenario (e.g. under valgrind)")
    parser.add_argument(
        "--garbage",
        default="",
        help="this scenario: the objects each request leaves in reference cycles, by type (what the collector frees)",
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request per scenario")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL: planning and execution time of each query of one request per scenario (EXPLAIN ANALYZE)",
    )
    parser.add_argument(
        "--cold", action="store_true", help="empty the card cache and its copy in memory before every request"
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="instructions per request (callgrind, only the requests counted): steady on a busy machine",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.callgrind:
        _under_callgrind()
    config = Config(database=args.database, scale=args.scale, redis=args.redis)
    env = config.env  # read before clearing: it keeps the caller's own variables (CARD_MEMORY_ENTRIES=0 …)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    import build

    if build.marker(config) is None:
        raise SystemExit("No dataset: build it with run.py --build-only first.")
    build.collect_static(config)
    build.manage(config, "compile_translations", quiet=True)

    from django.conf import settings
    from django.core.cache import caches
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, reset_queries
    from sample import sample_members

    from terrain.news.cards import remembered_cards

    caches[settings.CARD_CACHE].clear()
    groups = sample_members(per_group=max(1, args.members // 2), seed=config.seed)
    everyone = groups["2"] + groups["200"]
    scenarios = {
        "floor": (everyone, lambda m: ("/bench/floor/", "")),
        "page chrome": (everyone, lambda m: ("/bench/chrome/", "")),
        "first page, 2 coops": (groups["2"], lambda m: ("/", "")),
        "first page, 200 coops": (groups["200"], lambda m: ("/", "")),
        "deep page, 2 coops": (groups["2"], lambda m: ("/", f"avant={m.deep_cursor}")),
        "deep page, 200 coops": (groups["200"], lambda m: ("/", f"avant={m.deep_cursor}")),
    }
    if args.only:
        scenarios = {args.only: scenarios[args.only]}
    handler = WSGIHandler()
    cookie = settings.SESSION_COOKIE_NAME

    def request(member, path: str, query: str) -> int:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"{cookie}={member.session_key}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if args.cold:
            caches[settings.CARD_CACHE].clear()
            remembered_cards.clear()
        status = []
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}?{query}: {status[0]}")
        return len(body)

    def server_cpu() -> float:
        """CPU seconds of this connection's PostgreSQL backend (a local process): the database's share."""
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    columns = ("CPU ms median", 14), ("mean", 7), ("best pass", 9), ("db CPU ms", 9), ("queries", 8), ("bytes", 7)
    print(f"{'scenario':<24}" + "".join(f" {title:>{width}}" for title, width in columns))
    for name, (members, where) in scenarios.items():

        def every_member(members=members, where=where) -> None:
            for member in members:
                request(member, *where(member))

        every_member()  # warm: caches, template loader, connections
        connection.force_debug_cursor = True
        reset_queries()
        size = request(members[0], *where(members[0]))
        queries = len(connection.queries)
        if args.sql:
            for query in connection.queries:
                print(f"  {query['time']}s  {query['sql'][:300]}")
        connection.force_debug_cursor = False
        if args.explain and connection.vendor == "postgresql":
            _explain(connection, [query["sql"] for query in connection.queries])
        if args.garbage == name:
            _garbage(every_member, len(members))
        if args.profile == name:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                every_member()
            profiler.disable()
            profiler.dump_stats(str(VAR / "cpu.prof"))
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        if args.callgrind:
            count = _instructions(every_member) / len(members)
            print(f"{name:<24} {count / 1e6:>10.2f} million instructions per request")
            continue
        timings = []
        passes = []
        server_before = server_cpu()
        for _ in range(args.repeat):
            started_pass = time.process_time()
            for member in members:
                started = time.process_time()
                request(member, *where(member))
                timings.append((time.process_time() - started) * 1000)
            passes.append((time.process_time() - started_pass) * 1000 / len(members))
        server = (server_cpu() - server_before) * 1000 / len(timings)
        print(
            f"{name:<24} {statistics.median(timings):>14.2f} {statistics.fmean(timings):>7.2f} {min(passes):>9.2f}"
            f" {server:>9.2f} {queries:>8} {size:>7}"
        )
    return 0


def _garbage(work, requests: int) -> None:
    """What ``work()`` leaves to the cyclic garbage collector, per request: objects only it frees."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    kinds = collections.Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in garbage)
    print(f"    {len(garbage) / requests:.0f} objects per request left in reference cycles; the most common:")
    for kind, count in kinds.most_common(25):
        print(f"    {count / requests:8.1f}  {kind}")


def _explain(connection, queries: list[str]) -> None:
    """Each query's planning and execution time on the server, as EXPLAIN ANALYZE reports them (median of 5)."""
    plans = executions = 0.0
    with connection.cursor() as cursor:
        for sql in queries:
            times = []
            for _ in range(5):
                cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0][0]
                times.append((plan["Planning Time"], plan["Execution Time"]))
            planning = statistics.median(t[0] for t in times)
            execution = statistics.median(t[1] for t in times)
            plans += planning
            executions += execution
            print(f"    plan {planning:6.3f} ms  run {execution:6.3f} ms  {sql[:110]}")
    print(f"    total: plan {plans:.3f} ms, run {executions:.3f} ms")


def _under_callgrind() -> None:
    """Run this same command again under callgrind, instrumentation off until the timed requests."""
    if os.environ.get("TERRAIN_CALLGRIND"):
        return
    VAR.mkdir(parents=True, exist_ok=True)
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={VAR / 'callgrind.%p'}",
        sys.executable,
        *sys.argv,
    ]
    result = subprocess.run(command, env={**os.environ, "TERRAIN_CALLGRIND": "1"}, stderr=subprocess.DEVNULL)
    for leftover in VAR.glob("callgrind.*"):
        leftover.unlink()
    sys.exit(result.returncode)


def _instructions(work) -> float:
    """Instructions executed by ``work()`` (this process runs under ``_under_callgrind``)."""
    pid = str(os.getpid())
    run = functools.partial(subprocess.run, check=True, capture_output=True)
    # A full collection of every object the process holds costs as much as a few pages: where
    # one falls depends on all that ran before, and it would land in one scenario or another.
    # Each pass starts with none pending and the objects so far out of the collector's sight;
    # the young generations' collections, which every page pays for, stay in the count.
    gc.collect()
    gc.freeze()
    run(["callgrind_control", "--zero", pid])
    run(["callgrind_control", "--instr=on", pid])
    work()
    run(["callgrind_control", "--instr=off", pid])
    before = set(VAR.glob(f"callgrind.{pid}*"))
    run(["callgrind_control", "--dump", pid])
    (dump,) = set(VAR.glob(f"callgrind.{pid}*")) - before
    # The dump's "totals:" line counts the instructions since --zero.
    text = dump.read_text()
    dump.unlink()
    return float(re.search(r"^totals: (\d+)", text, re.M).group(1))


if __name__ == "__main__":
    sys.exit(main())
