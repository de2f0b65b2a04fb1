"""Benchmark of a petition going viral: 200 signatures per second for one minute, then count.

    .venv/bin/python bench/petitions/run.py                      # PostgreSQL (postgres@127.0.0.1:5432)
    .venv/bin/python bench/petitions/run.py --database sqlite
    .venv/bin/python bench/petitions/run.py --rate 50 --seconds 10   # a smoke run

A real gunicorn serves Terrain (DEBUG off, static files collected, tasks on the database
queue, no worker: the confirmation e-mails stay queued, which is what is counted). The
load is open: the n-th signature leaves at n / rate seconds whatever the server's pace,
so a slow server shows as latency and in-flight requests, not as a gentler load. Every
client comes from 127.0.0.1, so the per-client limit is lifted for the run
(``PETITION_SIGN_LIMIT``). Among the signatures, ``--again`` of them repeat an address
already sent (a double click, a second visit) and ``--robots`` fill the hidden field.

Then, from the database: stored signatures (must equal the distinct real addresses
sent), lost (answered 200 but not stored: must be 0), duplicated (an address stored
twice: must be 0), robots stored (must be 0), confirmation tasks queued (must equal the
stored signatures), and the answers' status codes and latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
WORK = ROOT / "var" / "bench-petitions"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "terrain_bench_petitions"
sys.path[:0] = [str(ROOT), str(HERE.parent), str(HERE.parent / "feed")]

from proc import cpu_seconds, descendants, machine_busy_seconds, service_cpu_by_pid  # noqa: E402


def bench_env(args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="terrain.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        AXES_ENABLED="0",
        TERRAIN_VAR_DIR=str(WORK),
        TASK_BACKEND="database",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # One address sends everything: the limit per client would refuse the run after 20.
        PETITION_SIGN_LIMIT="100000000",
    )
    if args.database == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    else:
        env["SQLITE_PATH"] = str(WORK / "terrain.sqlite3")
    return env


def reset_database(args, env) -> None:
    if args.database == "postgres":
        for sql in (f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"terrain.sqlite3{suffix}").unlink(missing_ok=True)
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


SETUP = """
from terrain.petitions.services import petition_move, petition_save
from terrain.public.services import site_publish, site_save
from terrain.structures.services import structure_create
structure = structure_create(
    kind="syndicat", name="Syndicat du banc d'essai", parent=None, departement="13", commune="Marseille", description=""
)
site = site_publish(site=site_save(structure=structure, by=None, slug="banc-essai"), by=None)
petition = petition_save(structure=structure, by=None, title="Pétition du banc d'essai", text="Signez.", goal=20000)
petition = petition_move(petition=petition, to="open", by=None)
print(f"/s/{site.slug}/petitions/{petition.code}/signer/")
"""


def setup_petition(env) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"Setting up the petition failed:\n{out.stderr}")
    return out.stdout.strip().splitlines()[-1]


def plan(args) -> list[dict]:
    """Who signs, in order: real addresses, some sent again, some robots."""
    rng = random.Random(args.seed)
    total = args.rate * args.seconds
    sent: list[str] = []
    forms = []
    for n in range(total):
        roll = rng.random()
        if roll < args.robots:
            forms.append({"first_name": "Bot", "last_name": "Bot", "email": f"bot{n}@spam.example", "website": "1"})
        elif roll < args.robots + args.again and sent:
            forms.append({"first_name": "Encore", "last_name": "Moi", "email": rng.choice(sent)})
        else:
            email = f"signataire{n}@example.org"
            sent.append(email)
            forms.append(
                {
                    "first_name": "Prénom",
                    "last_name": f"Nom{n}",
                    "email": email,
                    "postal_code": f"{13000 + n % 17:05d}",
                    "comment": "Je signe." if n % 7 == 0 else "",
                    "show_name": "on" if n % 3 == 0 else "",
                }
            )
    return forms


async def fire(base: str, path: str, forms: list[dict], rate: int, max_in_flight: int) -> tuple[list, float]:
    """Send each form at its time (open load); returns (status, seconds, form) per request and the span.

    A bare HTTP/1.1 client on asyncio streams, one connection per request (gunicorn's sync
    workers close each one): httpx cost about 4 ms of CPU per request, which the server
    needs on a 2-core machine. The latency counts from the request's planned time, so
    waiting for a free slot is counted too.
    """
    host, port = base.removeprefix("http://").split(":")
    results: list = []
    gate = asyncio.Semaphore(max_in_flight)

    async def one(form: dict, planned: float) -> None:
        body = urlencode(form).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 120)
                writer.write(head + body)
                answer = await asyncio.wait_for(reader.read(), 120)  # until the server closes
                writer.close()
                status: int | str = int(answer.split(b" ", 2)[1])
            except (TimeoutError, OSError, IndexError, ValueError) as error:
                status = type(error).__name__
        results.append((status, time.monotonic() - planned, form))

    start = time.monotonic()
    tasks = []
    for n, form in enumerate(forms):
        planned = start + n / rate
        delay = planned - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(form, planned)))
    await asyncio.gather(*tasks)
    return results, time.monotonic() - start


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rate", type=int, default=200, help="signatures sent per second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--in-flight", type=int, default=256, help="most requests open at once")
    parser.add_argument("--again", type=float, default=0.05, help="share of signatures repeating an address")
    parser.add_argument("--robots", type=float, default=0.02, help="share of signatures filling the hidden field")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    env = bench_env(args)
    label = f"{args.database}, gunicorn ×{args.workers}, {args.rate}/s for {args.seconds} s"
    print(f"== bench/petitions: {label}", flush=True)
    reset_database(args, env)
    path = setup_petition(env)
    forms = plan(args)

    from types import SimpleNamespace

    from server import VAR, gunicorn  # bench/feed's: started, waited for, always stopped

    VAR.mkdir(parents=True, exist_ok=True)  # its log

    with gunicorn(SimpleNamespace(env=env), workers=args.workers) as served:
        busy_before = machine_busy_seconds()
        services = ("postgres",) if args.database == "postgres" else ()
        services_before = service_cpu_by_pid(services)
        client_before = time.process_time()
        results, span = asyncio.run(fire(served.base, path, forms, args.rate, args.in_flight))
        client_cpu = time.process_time() - client_before
        busy = machine_busy_seconds() - busy_before
        server_cpu = sum(cpu_seconds(pid) for pid in [served.pid, *descendants(served.pid)])
        # By process: a backend closed meanwhile (another test suite's) is left out, not subtracted.
        services_after = service_cpu_by_pid(services)
        database_cpu = sum(cpu - services_before.get(pid, 0.0) for pid, cpu in services_after.items())

    # Count from the database, in this process.
    os.environ.update(env)
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from terrain.petitions.models import Petition, Signature

    petition = Petition.objects.get()
    stored = Counter(Signature.objects.values_list("email", flat=True))
    tasks = DBTaskResult.objects.filter(task_path="terrain.petitions.tasks.signature_confirmation_task").count()
    statuses = Counter(str(status) for status, _s, _f in results)
    real = {f["email"] for f in forms if not f.get("website")}
    answered = {f["email"] for status, _s, f in results if status == 302 and not f.get("website")}
    robots_sent = sum(1 for f in forms if f.get("website"))
    latencies = [seconds for status, seconds, _f in results if status == 302]
    result = {
        "setup": label,
        "sent": len(forms),
        "send_span_seconds": round(span, 1),
        "achieved_per_second": round(len(forms) / span, 1),
        "statuses": dict(statuses),
        "distinct_real_addresses_sent": len(real),
        "stored": sum(stored.values()),
        "lost": len(answered - set(stored)),
        "duplicated": sum(n - 1 for n in stored.values() if n > 1),
        "robots_sent": robots_sent,
        "robots_stored": sum(1 for email in stored if email.endswith("spam.example")),
        "robots_counted_on_petition": petition.refused_robot,
        "confirmation_tasks_queued": tasks,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000),
            "p95": round(percentile(latencies, 0.95) * 1000),
            "p99": round(percentile(latencies, 0.99) * 1000),
            "max": round(max(latencies, default=float("nan")) * 1000),
            "mean": round(statistics.fmean(latencies) * 1000) if latencies else None,
        },
        "cpu_seconds": {
            "gunicorn": round(server_cpu, 1),
            "database": round(database_cpu, 1),
            "load client (this process)": round(client_cpu, 1),
            "whole machine": round(busy, 1),
        },
        "server_cpu_ms_per_signature": round(server_cpu * 1000 / max(len(forms), 1), 1),
        "machine_cpu_ms_per_signature": round(busy * 1000 / max(len(forms), 1), 1),
        "load_average": os.getloadavg()[0],
        "confirmed": Signature.objects.filter(confirmed_at__isnull=False).count(),
    }
    print(json.dumps(result, indent=2), flush=True)
    (WORK / f"result-{args.database}.json").write_text(json.dumps(result, indent=2))
    ok = (
        result["stored"] == len(real)
        and result["lost"] == 0
        and result["duplicated"] == 0
        and result["robots_stored"] == 0
        and tasks == result["stored"]
        and set(statuses) == {"302"}
    )
    print(
        f"\n{label}: sent {len(forms)} in {span:.1f} s ({result['achieved_per_second']}/s), "
        f"stored {result['stored']} of {len(real)} distinct addresses, lost {result['lost']}, "
        f"duplicated {result['duplicated']}, robots stored {result['robots_stored']}, tasks queued {tasks}; "
        f"latency p50 {result['latency_ms']['p50']} ms, p95 {result['latency_ms']['p95']} ms: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
