"""Back up an instance while it runs, and restore it elsewhere (``manage.py backup`` / ``restore``).

One archive (tar.gz, readable by the server's owner only) holds:

- ``terrain-backup.json``: the format, the database vendor, when, and the migrations applied;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy, writers keep writing)
  or ``database.pgdump`` (``pg_dump --format=custom``: one snapshot, taken while Terrain runs);
- ``media/…``: the uploaded files (``MEDIA_ROOT``).

Uploaded files are written once under new names and deleted after their row. So the files are
read twice, before and after the database: a file the database snapshot names existed at one of
the two passes, unless it was both made and deleted between them. Files of rows written after
the snapshot may come along too; they are never shown.

The archive does not hold ``SECRET_KEY``: the connected accounts' tokens are encrypted with it,
so an instance restored with another key shows them "to reconnect".
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "terrain-backup.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables a fresh instance fills by itself (migrations, the clock, the worker): they do not make
# it "not empty".
BOOKKEEPING_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "sqlite_sequence",
    "django_tasks_database_dbtaskresult",
    "core_periodicrun",
    "django_session",
}


class BackupError(Exception):
    """Said to the person, as is."""


@dataclass(frozen=True)
class Summary:
    path: Path
    vendor: str
    files: int
    migrations: int


def _postgres_env(connection) -> dict[str, str]:
    """libpq's variables for ``connection``: the password never shows in a process list."""
    params = connection.settings_dict
    env = {**os.environ}
    values = {
        "PGHOST": params.get("HOST"),
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
        "PGSSLMODE": params.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({name: value for name, value in values.items() if value})
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client programs are needed).") from error
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _add_media(archive: tarfile.TarFile, root: Path, done: dict[Path, tuple[int, int]]) -> None:
    """Add the files not added yet, or changed since (one still being written at the first pass:
    a later copy of a name wins when the archive is extracted)."""
    for path in _media_files(root):
        try:
            stat = path.stat()
            if done.get(path) == (stat.st_size, stat.st_mtime_ns):
                continue
            archive.add(path, arcname=f"media/{path.relative_to(root).as_posix()}", recursive=False)
        except FileNotFoundError:  # deleted since it was listed: its row is gone too
            continue
        done[path] = (stat.st_size, stat.st_mtime_ns)


def _snapshot_database(connection, target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif connection.vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            env=_postgres_env(connection),
        )
    else:
        raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def _applied_migrations(connection) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def backup_write(*, path: Path, using: str = "default") -> Summary:
    """Write the archive to ``path`` (replaced only once complete)."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backing up a {connection.vendor} database is not supported.")
    if connection.in_atomic_block:  # SQLite's backup would wait for this very transaction forever
        raise BackupError("A backup cannot run inside a transaction.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data
    done: dict[Path, tuple[int, int]] = {}
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_media(archive, media_root, done)
            with tempfile.TemporaryDirectory() as scratch:
                database = Path(scratch) / DATABASE_FILES[connection.vendor]
                _snapshot_database(connection, database)
                archive.add(database, arcname=database.name)
            _add_media(archive, media_root, done)
            migrations = _applied_migrations(connection)
            manifest = {
                "format": FORMAT,
                "vendor": connection.vendor,
                "created_at": timezone.now().isoformat(),
                "migrations": migrations,
                "files": len(done),
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, fileobj=io.BytesIO(data))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(path=path, vendor=connection.vendor, files=len(done), migrations=len(migrations))


def instance_contents(using: str = "default") -> list[str]:
    """What makes this instance not empty: tables holding rows (beside bookkeeping), and ``media``."""
    connection = connections[using]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    if _media_files(Path(settings.MEDIA_ROOT)):
        found.append(f"files in {settings.MEDIA_ROOT}")
    return found


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError) as error:
        raise BackupError("This file is not a Terrain backup (no readable terrain-backup.json).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]


def backup_restore(*, path: Path, force: bool = False, using: str = "default") -> Summary:
    """Bring the archive's database and files into this instance, which must be empty unless ``force``.

    The schema is then migrated to this version of Terrain (an archive of an older one is upgraded).
    """
    connection = connections[using]
    try:
        archive = tarfile.open(path, mode="r:gz")  # noqa: SIM115 (closed by the `with` below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so that files are moved into it, not copied.
    with archive, tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as scratch:
        manifest = _read_manifest(archive)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"This archive holds a {manifest['vendor']} database; this instance uses {connection.vendor}."
            )
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                "This archive was made by a newer Terrain (unknown migrations: "
                + ", ".join(unknown[:5])
                + "). Restore it with that version or a later one."
            )
        if not force and (contents := instance_contents(using)):
            raise BackupError(
                "This instance is not empty (" + ", ".join(contents[:5]) + "). "
                "Restore into an empty database and media folder, or pass --force to replace them."
            )
        archive.extractall(scratch, filter="data")  # no absolute path, no "..", no device
        database = Path(scratch) / DATABASE_FILES[manifest["vendor"]]
        _restore_database(connection, database, replace=force)
        files = _restore_media(Path(scratch) / "media", media_root)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, database=using)
    return Summary(path=Path(path), vendor=connection.vendor, files=files, migrations=len(manifest["migrations"]))


def _restore_database(connection, database: Path, *, replace: bool) -> None:
    if connection.vendor == "sqlite":
        connection.close()
        with sqlite3.connect(database) as source, sqlite3.connect(connection.settings_dict["NAME"]) as target:
            source.backup(target)  # replaces every page of the target, in one step
        source.close()
        target.close()
    else:
        if replace:
            # pg_restore --clean drops only the tables the archive has: a table of a later
            # version would stay and stop the migrations. Everything goes first.
            with connection.cursor() as cursor:
                tables = connection.introspection.table_names(cursor)
                if tables:
                    cursor.execute("DROP TABLE " + ", ".join(map(connection.ops.quote_name, tables)) + " CASCADE")
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database),
            ],
            env=_postgres_env(connection),
        )
        connection.close()


def _restore_media(source: Path, media_root: Path) -> int:
    if not source.is_dir():
        return 0
    count = 0
    for path in source.rglob("*"):
        if path.is_file():
            target = media_root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            count += 1
    return count
