"""Public pages of a structure under many anonymous visitors at once (issue 17).

    .venv/bin/python bench/public/run.py [--database postgres] [--connections 500] [--seconds 20]

Builds (once) a database with the demonstration world (every demo structure has a
published site, with news and whatever the tools put there), starts gunicorn as
production would (DEBUG off), checks that each public page answers with the right
caching headers (``Cache-Control: public``, an ``ETag``, a 304 on revalidation, no cookie),
then loads each page and the floor page (``/bench/floor/``: the cheapest answer Django gives
through Terrain's middleware) with ``wrk`` and N concurrent connections (every request
reaching Django: no cache in front). Target: each page's p95 <= 4x the floor's p95.

The pages are the site's home, its news list, one news item, its Atom feed, and the first
page of each other kind the sitemap lists for the site (a petition, an event...), so a
tool's public page is measured as soon as the tool registers it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[2]
VAR = REPO / "var" / "bench"
HERE = Path(__file__).resolve().parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/terrain_bench_public"
SITE = "hopital-nord"
TARGET_RATIO = 4.0


def environment(database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="terrain.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        AXES_ENABLED="0",
        TERRAIN_BENCH_FLOOR="1",
        TERRAIN_VAR_DIR=str(VAR / "public"),
        TASK_BACKEND="database",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if database == "postgres":
        env["DATABASE_URL"] = POSTGRES
    else:
        env["SQLITE_PATH"] = str(VAR / "public.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True)


def build(database: str, env: dict[str, str], *, rebuild: bool) -> None:
    """The demo world in its own database (about 10 s), kept for the next runs."""
    marker = VAR / f"public-{database}.built"
    if marker.exists() and not rebuild:
        return
    VAR.mkdir(parents=True, exist_ok=True)
    if database == "postgres":
        name = urlsplit(POSTGRES).path.lstrip("/")
        admin = POSTGRES.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR / 'public.sqlite3'}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(VAR / "public", ignore_errors=True)
    print("building the demonstration world...", flush=True)
    manage(env, "migrate", "-v0")
    manage(env, "demo", "--if-empty")
    manage(env, "collectstatic", "--noinput", "-v0")
    marker.write_text("ok\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int):
    port = free_port()
    binary = Path(sys.executable).with_name("gunicorn")
    log = open(VAR / "public-gunicorn.log", "ab")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [str(binary), "terrain.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/bench/floor/", timeout=2).status_code == 200:
                    break
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {VAR / 'public-gunicorn.log'}")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def pages(base: str) -> dict[str, str]:
    """The site's pages to measure: its own, then the first of each other kind in the sitemap."""
    home = f"/s/{SITE}/"
    found = {"home": home, "news list": f"{home}actualites/", "Atom feed": f"{home}flux.atom"}
    sitemap = httpx.get(base + "/sitemap.xml", timeout=30).text
    for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        path = urlsplit(loc).path
        if not path.startswith(home) or path == home:
            continue
        kind = path[len(home) :].split("/")[0]
        name = "news item" if kind == "actualites" else f"{kind} page"
        found.setdefault(name, path)
    return found


def check_headers(base: str, name: str, path: str) -> list[str]:
    """What is wrong with the page's caching headers (nothing, we hope)."""
    problems = []
    response = httpx.get(base + path, timeout=30)
    control = response.headers.get("cache-control", "")
    if response.status_code != 200:
        return [f"{name}: status {response.status_code}"]
    if "public" not in control or "max-age" not in control:
        problems.append(f"{name}: Cache-Control is {control!r}")
    if "set-cookie" in response.headers:
        problems.append(f"{name}: sets a cookie")
    etag = response.headers.get("etag")
    if not etag:
        problems.append(f"{name}: no ETag")
    elif httpx.get(base + path, headers={"If-None-Match": etag}, timeout=30).status_code != 304:
        problems.append(f"{name}: no 304 on revalidation")
    return problems


def load(base: str, path: str, *, connections: int, seconds: int, threads: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(HERE / "report.lua"),
        base + path,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk: apt-get install -y wrk")
    env = environment(args.database)
    build(args.database, env, rebuild=args.rebuild)
    print(
        f"{args.database}, gunicorn {args.workers} workers, {args.connections} connections, "
        f"{args.seconds} s per page, {os.cpu_count()} CPUs",
        flush=True,
    )
    with gunicorn(env, args.workers) as base:
        targets = pages(base)
        problems = [problem for name, path in targets.items() for problem in check_headers(base, name, path)]
        for problem in problems:
            print(f"  HEADERS WRONG  {problem}")
        if not problems:
            print("  caching headers: right on every page (public, max-age, ETag, 304, no cookie)")
        threads = min(8, args.connections)
        floor = load(base, "/bench/floor/", connections=args.connections, seconds=args.seconds, threads=threads)
        print(f"\n  {'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}  verdict")
        rows = [("floor", floor)]
        for name, path in targets.items():
            rows.append((name, load(base, path, connections=args.connections, seconds=args.seconds, threads=threads)))
        failed = bool(problems)
        for name, r in rows:
            rps = r["requests"] / r["seconds"]
            verdict = ""
            if name != "floor":
                ratio = r["p95"] / max(floor["p95"], 1)
                ok = ratio <= TARGET_RATIO and r["errors"] == 0
                failed |= not ok
                verdict = f"{'pass' if ok else 'FAIL'} ({ratio:.2f}x the floor)"
            print(
                f"  {name:<22} {rps:>8.0f} {r['p50'] / 1000:>8.1f} {r['p95'] / 1000:>8.1f} "
                f"{r['p99'] / 1000:>8.1f} {r['errors']:>7}  {verdict}"
            )
    print("\n" + ("some targets missed" if failed else f"all pages within {TARGET_RATIO:g}x the floor's p95"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
