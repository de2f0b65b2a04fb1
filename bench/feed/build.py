"""Build the benchmark dataset once; a marker table in the database says which one it holds."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from config import POSTGRES_SERVER, REPO, VAR, Config

MARKER_TABLE = "bench_dataset"


def manage(config: Config, *args: str, quiet: bool = False) -> None:
    """Run ``manage.py`` with the benchmark's environment; stop everything if it fails."""
    command = [sys.executable, str(REPO / "manage.py"), *args]
    result = subprocess.run(command, cwd=REPO, env=config.env, stdout=subprocess.PIPE if quiet else None, check=False)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


def collect_static(config: Config) -> None:
    """``collectstatic`` as production runs it (hashed, compressed manifest)."""
    manage(config, "collectstatic", "--noinput", "-v0")


def marker(config: Config) -> dict | None:
    """The parameters of the dataset in the database, or None when there is none (or no database)."""
    if config.database == "sqlite" and not config.sqlite_path.exists():
        return None
    if config.database == "postgres" and not _postgres_exists(config.postgres_name):
        return None
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT params FROM {MARKER_TABLE}")  # noqa: S608 (constant name)
            row = cursor.fetchone()
    except Exception:  # no table: an unfinished or foreign database
        return None
    finally:
        connection.close()
    return json.loads(row[0]) if row else None


def ensure_dataset(config: Config, *, rebuild: bool = False) -> dict:
    """Build the dataset unless the database already holds this very one. Returns the marker."""
    found = marker(config)
    wanted = config.dataset_params
    if found and not rebuild and {k: found.get(k) for k in wanted} == wanted:
        print(f"Dataset already built ({found.get('build_seconds', '?')} s on {found.get('built_at', '?')}).")
        # The code may have moved on since: bring the schema (and its data migrations) up to date.
        manage(config, "migrate", "--noinput", "-v0")
        return found
    _drop(config)
    print(f"Building the {config.scale} dataset into {_where(config)} …", flush=True)
    started = time.monotonic()
    manage(config, "migrate", "--noinput", "-v0")
    manage(config, "generate_dataset", *[f"--{k}={v}" for k, v in config.scale_options.items()])
    seconds = round(time.monotonic() - started, 1)
    params = {**wanted, "build_seconds": seconds, "built_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (params TEXT NOT NULL)")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (params) VALUES (%s)", [json.dumps(params)])  # noqa: S608
    connection.close()
    print(f"Dataset built in {seconds} s (migrations included).", flush=True)
    return params


def _where(config: Config) -> str:
    return str(config.sqlite_path) if config.database == "sqlite" else f"{POSTGRES_SERVER}/{config.postgres_name}"


def _drop(config: Config) -> None:
    from django.db import connection

    connection.close()
    if config.database == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            config.sqlite_path.with_name(config.sqlite_path.name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{config.postgres_name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{config.postgres_name}"')


def _postgres_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as server:
        return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
