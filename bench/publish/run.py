"""Benchmark of the publication engine: 10,000 publications due in the same minute on 2,000 accounts.

    .venv/bin/python bench/publish/run.py                                   # SQLite, 1 db_worker
    .venv/bin/python bench/publish/run.py --database postgres --redis --workers 4
    ... --kill-worker                                                       # SIGKILL a worker mid-run
    .venv/bin/python bench/publish/run.py --peer-only                       # the Mastodon peer alone

Real processes: the local Mastodon peer (mastodon-mock, seeded with the accounts),
``manage.py clock`` (dispatches due publications every 2 s) and the workers
(``db_worker`` on the database queue, or ``rqworker`` on Redis). Prints publications
per second, lateness (published_at − due_at) p50/p99/max, duplicates (statuses on the
peer carrying the same bench key: must be 0) and losses (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
WORK = ROOT / "var" / "bench-publish"
PG_URL = "postgres://postgres@127.0.0.1:5432/terrain_bench_publish"
REDIS_URL = "redis://127.0.0.1:6379/14"
KEY = re.compile(r"\[bench-(\d+)\]")
sys.path[:0] = [str(ROOT), str(HERE.parent)]  # terrain (which Mastodon connector exists), bench/proc.py

from proc import cpu_seconds, descendants, machine_busy_seconds, service_cpu_seconds  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_peer(accounts: int, processes: int = 1) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    # On tmpfs: the peer stands for a remote server, its disk must not be what is measured.
    db = Path("/dev/shm") / f"terrain-bench-peer-{os.getpid()}.sqlite3"  # noqa: S108
    command = [PYTHON, str(HERE / "peer.py"), "--port", str(port), "--accounts", str(accounts), "--db", str(db)]
    peer = subprocess.Popen([*command, "--processes", str(processes)], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/v1/instance", timeout=1).status_code == 200:
                return peer, base, db
        except httpx.HTTPError:
            pass
        if peer.poll() is not None:
            sys.exit("The Mastodon peer did not start.")
        time.sleep(0.2)
    sys.exit("The Mastodon peer did not answer within 2 minutes.")


def peer_only(args) -> None:
    """How many statuses per second mastodon-mock takes alone (no Terrain), with 8 concurrent clients."""
    WORK.mkdir(parents=True, exist_ok=True)
    peer, base, _db = start_peer(args.accounts, args.peer_processes)
    total, threads = args.publications, 8
    counter = iter(range(total))
    lock = threading.Lock()
    failures = []

    def client() -> None:
        session = httpx.Client()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            response = session.post(
                f"{base}/api/v1/statuses",
                data={"status": f"Peer alone [bench-{n}]"},
                headers={"Authorization": f"Bearer bench-token-{n % args.accounts}", "Idempotency-Key": f"k{n}"},
                timeout=30,
            )
            if response.status_code != 200:
                failures.append(response.status_code)

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.monotonic() - started
    peer_cpu = sum(cpu_seconds(pid) for pid in [peer.pid, *descendants(peer.pid)])
    peer.terminate()
    rate = total / elapsed
    print(
        f"mastodon-mock alone: {total} statuses in {elapsed:.1f} s = {rate:.0f}/s, failures {len(failures)}; "
        f"peer CPU {peer_cpu * 1000 / total:.1f} ms per status (startup included)"
    )


def site_env(peer_base: str) -> dict[str, str]:
    """What every Terrain process of the benchmarks needs: its settings, and the peer as Mastodon."""
    return {
        "PYTHONPATH": f"{ROOT}{os.pathsep}{HERE}",
        "DJANGO_SETTINGS_MODULE": "settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "NETWORK_API_BASES": f"mastodon={peer_base}",
        "OUTBOUND_ALLOWED_HOSTS": urlsplit(peer_base).netloc,  # the peer runs on the loopback
    }


def bench_env(args, peer_base: str, connector: str) -> dict[str, str]:
    env = {
        **os.environ,
        **site_env(peer_base),
        "NETWORK_TIMEOUT_SECONDS": "10",
        "ATELIER_DISPATCH_SECONDS": "2",
        "ATELIER_PUBLISH_LEASE_SECONDS": str(args.lease),
        "ATELIER_QUEUE_MARK_SECONDS": str(args.queue_mark),
        "ATELIER_DISPATCH_BATCH": str(args.batch),
        "ATELIER_PUBLISH_THREADS": str(args.threads),
        "BENCH_CONNECTOR": connector,
        "PYTHONUNBUFFERED": "1",
    }
    if args.database == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["SQLITE_PATH"] = str(WORK / "terrain.sqlite3")
    if args.redis:
        env["TASK_BACKEND"] = "redis"
        env["REDIS_URL"] = REDIS_URL
    else:
        env["TASK_BACKEND"] = "database"
    return env


def reset_databases(args) -> None:
    if args.database == "postgres":
        for sql in ("DROP DATABASE IF EXISTS terrain_bench_publish", "CREATE DATABASE terrain_bench_publish"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"terrain.sqlite3{suffix}").unlink(missing_ok=True)
    if args.redis:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


def choose_connector() -> str:
    try:
        __import__("terrain.networks.mastodon.connector")
    except ImportError:
        return "connector.BenchMastodonConnector"
    return ""  # the real one, from the registry


def worker_command(args, n: int) -> list[str]:
    if args.redis:
        return [PYTHON, "manage.py", "rqworker", "default", "--worker-class", "rq.worker.SimpleWorker",
                "--job-class", "django_tasks_rq.backend.Job", "--name", f"bench-{n}-{time.time_ns()}"]  # fmt: skip
    return [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay", "--worker-id", f"bench-{n}"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help="tasks through Redis (rqworker) instead of the database")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL a worker when a quarter is published")
    parser.add_argument("--publications", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--spread", type=float, default=60.0, help="due times spread over this many seconds")
    parser.add_argument(
        "--batch",
        type=int,
        default=100,
        help="publications per task (ATELIER_DISPATCH_BATCH): 20, 50, 100 gave 87, 99, 105 publications/s",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="publisher threads per worker (ATELIER_PUBLISH_THREADS; 4 workers x 1 thread measured best on 2 cores)",
    )
    parser.add_argument("--lease", type=int, default=30, help="seconds a worker holds a publication")
    parser.add_argument("--queue-mark", type=int, default=60, help="seconds before a queued row is handed again")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--peer-only", action="store_true", help="measure the Mastodon peer alone")
    parser.add_argument(
        "--peer-processes",
        type=int,
        default=2,
        help="processes serving mastodon-mock (one caps the instance at about 120 statuses/s; see peer.py)",
    )
    parser.add_argument(
        "--peer",
        choices=["mock", "fake"],
        default="mock",
        help="mock: mastodon-mock in a subprocess (faithful, slow); fake: a light in-process Mastodon peer",
    )
    args = parser.parse_args()
    if args.peer_only:
        return peer_only(args)
    WORK.mkdir(parents=True, exist_ok=True)
    label = (
        f"{args.database}{'+redis' if args.redis else ''}, {args.workers} worker(s) × {args.threads} thread(s), "
        f"batches of {args.batch}, "
        f"peer {args.peer}{f' ×{args.peer_processes}' if args.peer == 'mock' else ''}"
        f"{', worker killed' if args.kill_worker else ''}"
    )
    print(f"== bench/publish: {args.publications} publications, {args.accounts} accounts, {label}", flush=True)
    fake = None
    processes: list[subprocess.Popen] = []
    if args.peer == "fake":
        sys.path.insert(0, str(ROOT))
        from fake_mastodon import FakeMastodon

        fake = FakeMastodon()
        peer_base, peer_db = fake.start(), None
    else:
        peer, peer_base, peer_db = start_peer(args.accounts, args.peer_processes)
        processes.append(peer)
    logs = open(WORK / "processes.log", "w")  # noqa: SIM115 (open for the whole run)
    try:
        connector = choose_connector()
        print(f"connector: {connector or 'terrain.networks.mastodon (registry)'}; peer {peer_base}", flush=True)
        reset_databases(args)
        env = bench_env(args, peer_base, connector)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        sizes = ["--publications", str(args.publications), "--accounts", str(args.accounts)]
        load = subprocess.run(
            [PYTHON, str(HERE / "load.py"), *sizes, "--start-in", "20", "--spread", str(args.spread)],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if load.returncode:
            sys.exit(f"Loading the data failed:\n{load.stderr}")
        first_due = datetime.fromisoformat(load.stdout.strip().splitlines()[-1])
        print(f"loaded; first due at {first_due:%H:%M:%S}", flush=True)

        def spawn(command: list[str]) -> subprocess.Popen:
            return subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT)

        workers = [spawn(worker_command(args, n)) for n in range(args.workers)]
        clock = spawn([PYTHON, "manage.py", "clock", "--interval", "0.5"])
        processes += [*workers, clock]

        # The orchestrator reads the same database to follow the run.
        os.environ.update(env)
        sys.path[:0] = [str(ROOT), str(HERE)]
        import django

        django.setup()
        from django.db.models import Count

        from terrain.atelier.models import Publication, PublicationAttempt

        killed = None
        roles = {clock.pid: "clock", **{w.pid: "worker" for w in workers}}
        if args.peer == "mock":
            roles[peer.pid] = "peer"
        cpu_used: Counter = Counter()
        busy_before = machine_busy_seconds()
        services = ("postgres", "redis-server") if args.database == "postgres" else ("redis-server",)
        services_before = service_cpu_seconds(services)
        started = time.monotonic()
        while time.monotonic() - started < args.timeout:
            time.sleep(2)
            states = dict(Publication.objects.values_list("state").annotate(n=Count("id")))
            done = states.get("published", 0) + states.get("failed", 0)
            print(f"  {time.strftime('%H:%M:%S')} {states}", flush=True)
            if args.kill_worker and killed is None and states.get("published", 0) >= args.publications // 4:
                victim = workers[0]
                cpu_used["worker"] += cpu_seconds(victim.pid)
                victim.send_signal(signal.SIGKILL)
                victim.wait()
                killed = time.strftime("%H:%M:%S")
                print(f"  killed worker pid {victim.pid} (SIGKILL) at {killed}; a supervisor restarts it", flush=True)
                replacement = spawn(worker_command(args, 99))
                workers[0] = replacement
                processes.append(replacement)
                roles[replacement.pid] = "worker"
            if done >= args.publications:
                break
        busy = machine_busy_seconds() - busy_before
        cpu_used["database server and Redis"] = service_cpu_seconds(services) - services_before
        if args.peer == "mock":
            roles.update(dict.fromkeys(descendants(peer.pid), "peer"))  # its uvicorn workers
        for pid, role in roles.items():
            cpu_used[role] += cpu_seconds(pid)
        cpu_used["this process (orchestrator" + (", peer" if args.peer == "fake" else "") + ")"] = time.process_time()
        cpu_used["anything else on the machine"] = max(busy - sum(cpu_used.values()), 0)

        rows = list(Publication.objects.values_list("state", "due_at", "published_at", "attempts", "message__body"))
        outcomes = dict(PublicationAttempt.objects.values_list("outcome").annotate(n=Count("id")))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    published = [r for r in rows if r[0] == "published"]
    lateness = [(r[2] - r[1]).total_seconds() for r in published]
    first = min(r[1] for r in rows)
    last = max((r[2] for r in published), default=first)
    elapsed = max((last - first).total_seconds(), 1e-9)

    if fake is not None:
        contents = [status["content"] for status in fake.statuses]
        fake.stop()
    else:
        with sqlite3.connect(peer_db) as db:
            contents = [text for (text,) in db.execute("SELECT content FROM statuses")]
        for suffix in ("", "-wal", "-shm", ".workers"):
            Path(f"{peer_db}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(f"{peer_db}.media", ignore_errors=True)
    peer_keys = Counter()
    for text in contents:
        match = KEY.search(text or "")
        if match:
            peer_keys[int(match.group(1))] += 1
    duplicates = sum(n - 1 for n in peer_keys.values() if n > 1)
    expected = {int(KEY.search(r[4]).group(1)) for r in rows}
    lost = len(expected - set(peer_keys)) + sum(1 for r in rows if r[0] != "published")
    result = {
        "setup": label,
        "publications": len(rows),
        "published": len(published),
        "failed": sum(1 for r in rows if r[0] == "failed"),
        "per_second": round(len(published) / elapsed, 1),
        "span_seconds": round(elapsed, 1),
        "lateness_p50": round(percentile(lateness, 0.50), 2),
        "lateness_p99": round(percentile(lateness, 0.99), 2),
        "lateness_max": round(max(lateness, default=float("nan")), 2),
        "lateness_mean": round(statistics.fmean(lateness), 2) if lateness else None,
        "duplicates_on_peer": duplicates,
        "losses": lost,
        "statuses_on_peer": sum(peer_keys.values()),
        "attempts": outcomes,
        "claimed_more_than_once": sum(1 for r in rows if r[3] > 1),
        "killed_at": killed,
        "cpu_seconds": {role: round(seconds, 1) for role, seconds in cpu_used.items()},
        "cpu_ms_per_publication": round(busy * 1000 / max(len(published), 1), 1),
    }
    print(json.dumps(result, indent=2), flush=True)
    name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    (WORK / f"result-{name}.json").write_text(json.dumps(result, indent=2))
    print(
        f"\n{label}: {result['per_second']} publications/s, lateness p50 {result['lateness_p50']} s, "
        f"p99 {result['lateness_p99']} s (max {result['lateness_max']} s), duplicates {duplicates}, losses {lost}"
    )


if __name__ == "__main__":
    main()
