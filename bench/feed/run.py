"""Feed benchmark: build the big dataset once, serve it with gunicorn, time the feed against a floor.

    .venv/bin/python bench/feed/run.py                      # SQLite, full dataset (built on first run)
    .venv/bin/python bench/feed/run.py --database postgres
    .venv/bin/python bench/feed/run.py --scale small        # smoke run in about a minute
    .venv/bin/python bench/feed/run.py --build-only         # make bench-dataset

See bench/README.md for what is measured and the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
sys.path.insert(2, str(Path(__file__).resolve().parents[2]))

import build
import httpx
import load
from config import REPO, RESULTS, SCALES, Config
from proc import cpu_seconds, descendants, service_cpu_by_pid

# The processes of the database server and of Redis (SQLite works inside gunicorn's workers).
SERVICES = ("postgres", "redis-server")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help="the caches (feed cards, sessions) in Redis")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument(
        "--members",
        type=int,
        default=200,
        help="members signed in: half in 2 cooperatives, half in the most (about 200)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    parser.add_argument(
        "--client",
        choices=load.CLIENTS,
        default="httpx",
        help="the load's HTTP client (it shares the processors with the server: http.client costs them less)",
    )
    parser.add_argument("--requests", type=int, default=600, help="timed requests per scenario")
    parser.add_argument("--rounds", type=int, default=6, help="scenarios take turns in this many rounds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--max-seconds", type=int, default=900, help="stop measuring after this long")
    parser.add_argument("--build-only", action="store_true", help="build the dataset if needed, measure nothing")
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again even if present")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    config = Config(database=args.database, scale=args.scale, redis=args.redis)
    env = config.env  # read before clearing: it keeps the caller's own variables (CARD_MEMORY_ENTRIES=0 …)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    dataset = build.ensure_dataset(config, rebuild=args.rebuild)
    if args.build_only:
        return 0

    # DEBUG is off, as in production: static files come from the collected manifest.
    build.collect_static(config)
    build.manage(config, "compile_translations", quiet=True)

    from django.conf import settings
    from django.core.cache import caches
    from sample import sample_members
    from server import gunicorn

    # Feed cards are cached in files shared by the workers: every run starts without any.
    caches[settings.CARD_CACHE].clear()

    print("Signing members in and reading their expected pages …", flush=True)
    started = time.monotonic()
    groups = sample_members(per_group=max(1, args.members // 2), seed=config.seed)
    for name, members in groups.items():
        if not members:
            raise SystemExit(f"No member fits the {name}-cooperative group in this dataset.")
        counts = sorted(m.cooperatives for m in members)
        print(f"  group {name:>3}: {len(members)} members in {counts[0]}–{counts[-1]} cooperatives")
    print(f"  ready in {time.monotonic() - started:.1f} s", flush=True)

    from django.db import connection

    connection.close()  # the server alone reads the database from now on
    everyone = groups["2"] + groups["200"]
    scenarios = [
        load.Scenario("floor", everyone, lambda m: load.FLOOR_PATH, load.check_floor),
        load.Scenario("first page, 2 coops", groups["2"], lambda m: "/", load.check_feed("first_code")),
        load.Scenario("first page, 200 coops", groups["200"], lambda m: "/", load.check_feed("first_code")),
        load.Scenario(
            "deep page, 2 coops", groups["2"], lambda m: f"/?avant={m.deep_cursor}", load.check_feed("deep_code")
        ),
        load.Scenario(
            "deep page, 200 coops", groups["200"], lambda m: f"/?avant={m.deep_cursor}", load.check_feed("deep_code")
        ),
    ]
    cookie = settings.SESSION_COOKIE_NAME
    deadline = time.monotonic() + args.max_seconds
    load_before = os.getloadavg()
    if load_before[0] > 1.0:
        print(f"  WARNING: the machine is already busy (load {load_before[0]:.1f}): the figures will be noisy.")
    with gunicorn(config, workers=args.workers) as served:
        base = served.base
        print(f"gunicorn on {base} with {args.workers} workers; warming up …", flush=True)
        if httpx.get(base + load.FLOOR_PATH, timeout=10).status_code != 200:
            raise SystemExit(f"{load.FLOOR_PATH} is not served: is TERRAIN_BENCH_FLOOR=1 reaching gunicorn?")
        floor_path = load.FLOOR_PATH
        with load.Load(base, concurrency=args.concurrency, cookie_name=cookie, client=args.client) as clients:
            summaries = _measure(clients, scenarios, served, args, deadline)

    machine_load = {"before": round(load_before[0], 2)}
    checks = load.verdicts(summaries)
    print()
    print(load.table(summaries, checks))
    print()
    print(cpu_table(summaries))
    print(f"Load average of the machine before measuring: {machine_load['before']}.")
    path = _write_results(config, args, dataset, groups, summaries, checks, floor_path, machine_load)
    print(f"\nResults written to {path.relative_to(REPO)}")
    return 0 if all(c["verdict"] == "PASS" for c in checks) else 1


def _measure(clients: load.Load, scenarios: list[load.Scenario], served, args, deadline: float) -> dict[str, dict]:
    """Warm every scenario up, then time them in rounds: the summaries, CPU per request included."""
    for scenario in scenarios:
        # Every member once (and each answer checked), then timing starts.
        _fail_on_errors(clients.run(scenario, requests=len(scenario.members), deadline=deadline), scenario.name)
    # Scenarios take turns, a slice each per round: a burst of noise on a shared
    # machine then weighs on all of them alike, and their ratios stay fair.
    results = {scenario.name: load.Result(scenario.name) for scenario in scenarios}
    cpu = {scenario.name: dict.fromkeys(CPU_PARTS, 0.0) for scenario in scenarios}
    server_pids = [served.pid, *descendants(served.pid)]
    per_round = max(1, args.requests // args.rounds)
    for round_number in range(1, args.rounds + 1):
        print(f"  round {round_number}/{args.rounds} …", flush=True)
        for scenario in scenarios:
            before = cpu_snapshot(server_pids)
            part = clients.run(scenario, requests=per_round, deadline=deadline)
            after = cpu_snapshot(server_pids)
            _fail_on_errors(part, scenario.name)
            results[scenario.name].add(part)
            for name in CPU_PARTS:
                cpu[scenario.name][name] += _used(before[name], after[name])
    summaries = {name: result.summary() for name, result in results.items()}
    for name, summary in summaries.items():
        summary["cpu_ms_per_request"] = {
            part: round(seconds * 1000 / summary["count"], 2) for part, seconds in cpu[name].items()
        }
    return summaries


CPU_PARTS = ("server", "database and Redis", "client")


def cpu_snapshot(server_pids: list[int]) -> dict[str, dict[int, float]]:
    """CPU seconds so far of gunicorn (master and workers), of the services, and of this
    process (the load's threads), by process: the machine's cores are shared by all three."""
    return {
        "server": {pid: cpu_seconds(pid) for pid in server_pids},
        "database and Redis": service_cpu_by_pid(SERVICES),
        "client": {os.getpid(): time.process_time()},
    }


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings by the processes alive at the second one."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def cpu_table(summaries: dict[str, dict]) -> str:
    """CPU per timed request, by part (Linux clock ticks of 10 ms, summed over the run):
    latency at a fixed concurrency follows the total, steadier than its p95."""
    lines = [f"{'CPU ms per request':<24}{'server':>9}{'db+redis':>10}{'client':>9}{'total':>9}", "-" * 61]
    for name, summary in summaries.items():
        parts = summary["cpu_ms_per_request"]
        total = sum(parts.values())
        lines.append(
            f"{name:<24}{parts['server']:>9.2f}{parts['database and Redis']:>10.2f}{parts['client']:>9.2f}{total:>9.2f}"
        )
    return "\n".join(lines)


def _fail_on_errors(result: load.Result, name: str) -> None:
    if result.errors:
        shown = "\n  ".join(result.errors[:5])
        raise SystemExit(f"{len(result.errors)} wrong answer(s) in '{name}', for example:\n  {shown}")
    if not result.timings_ms:
        raise SystemExit(f"No request could be made for '{name}' (time limit reached?).")


def _write_results(config, args, dataset, groups, summaries, checks, floor_path, machine_load) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{config.database}{'+redis' if config.redis else ''}-{stamp}.json"
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    report = {
        "database": config.database,
        "scale": config.scale,
        "dataset": dataset,
        "git_revision": revision,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average": machine_load,
        },
        "settings": {
            "rounds": args.rounds,
            "workers": args.workers,
            "concurrency": args.concurrency,
            "client": args.client,
            "requests": args.requests,
            "floor_path": floor_path,
        },
        "groups": {name: sorted(m.cooperatives for m in members) for name, members in groups.items()},
        "scenarios": summaries,
        "targets": checks,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return path


if __name__ == "__main__":
    sys.exit(main())
