"""Serve Terrain as in production (``make serve``): gunicorn, the task worker(s) and the clock.

Before serving, the same steps as an upgrade: compile the translations, collect the static
files (whitenoise serves them compressed, with hashed names cached for a year) and apply the
migrations. ``DEBUG`` is always off here; the settings refuse to start without a
``SECRET_KEY``. The three kinds of process are kept running by the supervisor of
``scripts/run.py`` (a dead one is started again after a growing pause); SIGTERM or Ctrl-C
stops them all. Example systemd units that run each process on its own: docs/production.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Service, Supervisor  # noqa: E402  (scripts/run.py: one supervisor for both)


def production_env(environ: dict[str, str]) -> dict[str, str]:
    return {**environ, "DEBUG": "0", "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "terrain.settings"}


def worker_command(python: str, environ: dict[str, str]) -> list[str] | None:
    """The task worker for the configured queue (the same rule as terrain/settings.py), or None."""
    backend = environ.get("TASK_BACKEND") or ("redis" if environ.get("REDIS_URL") else "database")
    if backend == "redis":
        return [python, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
    if backend == "database":
        return [python, "manage.py", "db_worker", "--interval", "1"]
    return None  # "immediate": tasks run inside the web processes


def services(args: argparse.Namespace, environ: dict[str, str], python: str = sys.executable) -> list[Service]:
    web = [
        python, "-m", "gunicorn", "terrain.wsgi",
        "--bind", args.bind,
        "--workers", str(args.workers),
        "--access-logfile", "-",
        # gunicorn's control socket sits at one path per user: two instances would fight over it.
        "--no-control-socket",
        # Under the supervisor's 10 s: requests in flight end before it kills.
        "--graceful-timeout", "8",
        # A worker is replaced after this many requests: a slow leak never grows for weeks.
        "--max-requests", "2000", "--max-requests-jitter", "200",
    ]  # fmt: skip
    found = [Service("web server", web)]
    worker = worker_command(python, environ)
    if worker:
        found += [Service(f"task worker {n}" if args.task_workers > 1 else "task worker", worker)
                  for n in range(1, args.task_workers + 1)]  # fmt: skip
    found.append(Service("clock", [python, "manage.py", "clock"]))
    return found


def prepare(env: dict[str, str], *, migrate: bool, python: str = sys.executable) -> None:
    steps = [["compile_translations"], ["collectstatic", "--noinput", "-v", "0"]]
    if migrate:
        steps.append(["migrate", "--noinput"])
    for step in steps:
        print(f"Terrain: manage.py {' '.join(step)}", flush=True)
        result = subprocess.run([python, "manage.py", *step], cwd=ROOT, env=env, check=False)  # noqa: S603
        if result.returncode:
            sys.exit(f"Terrain: `manage.py {step[0]}` failed (exit code {result.returncode}); nothing was started.")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Terrain as in production (DEBUG off).")
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="host:port for gunicorn")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "3")),
        help="gunicorn processes (WEB_CONCURRENCY, 3 by default: about 2 per core)",
    )
    parser.add_argument(
        "--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS", "1")), help="task worker processes"
    )
    parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations before serving")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    if not os.environ.get("SECRET_KEY"):
        sys.exit(
            "Terrain: set SECRET_KEY (at least 40 random characters) and the other settings of "
            "docs/production.md in the environment first."
        )
    if os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}:
        print("Terrain: DEBUG is ignored here: `make serve` serves as in production.", flush=True)
    env = production_env(dict(os.environ))
    prepare(env, migrate=not args.no_migrate)
    supervisor = Supervisor(services(args, env), env=env)
    supervisor.stop_on_signals()
    supervisor.start()
    names = ", ".join(service.name for service in supervisor.services)
    print(f"Terrain: serving on http://{args.bind}/ ({names}); Ctrl-C or SIGTERM stops them.", flush=True)
    while True:
        time.sleep(1)
        supervisor.check()


if __name__ == "__main__":
    main()
