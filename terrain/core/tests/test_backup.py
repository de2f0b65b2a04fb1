"""``manage.py backup`` while the instance is being written to, then ``manage.py restore`` into another
database and media folder: every row and every file comes back; a non-empty instance is refused.

On SQLite always; on PostgreSQL when the suite runs on it (``DATABASE_URL``), in two databases of
its own beside the test database."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET = "b" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d"


def _manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _env(var: Path, database_url: str | None) -> dict[str, str]:
    unwanted = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TASK_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(DEBUG="0", SECRET_KEY=SECRET, TERRAIN_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="terrain.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Database:
    """Plain DB-API access to one instance's database, outside Django (it is another process's)."""

    def __init__(self, var: Path, url: str | None):
        self.var, self.url = var, url

    def connect(self):
        if self.url:
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        return sqlite3.connect(self.var / "terrain.sqlite3", timeout=20, isolation_level=None)

    def tables(self, db) -> list[str]:
        if self.url:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(row[0] for row in db.execute(query).fetchall())

    def contents(self) -> dict[str, list[tuple]]:
        with self.connect() as db:
            tables = self.tables(db)
            rows = {t: db.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}  # noqa: S608
        return {t: sorted(map(tuple, found), key=repr) for t, found in rows.items()}


def _files(media: Path) -> dict[str, str]:
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def instances(request, tmp_path):
    """Two instances: the source, migrated and filled with the demonstration, and an empty target."""
    urls: list[str | None] = [None, None]
    if request.param == "postgresql":
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            pytest.skip("runs with the PostgreSQL suite (DATABASE_URL)")
        import psycopg

        server, name = base.rsplit("/", 1)
        urls = [f"{server}/{name}_backup_source", f"{server}/{name}_backup_target"]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for url in urls:
                admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
    source = Database(tmp_path / "source", urls[0])
    target = Database(tmp_path / "target", urls[1])
    env = _env(source.var, source.url)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "demo")
    yield source, target
    if request.param == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for url in urls:
                admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_a_backup_taken_while_writing_restores_every_row_and_file_elsewhere(instances, tmp_path):
    source, target = instances
    source_env, target_env = _env(source.var, source.url), _env(target.var, target.url)
    assert len(_files(source.var / "media")) >= 5  # the demonstration's pictures

    # Someone keeps writing while the backup runs: one row per transaction, numbered 1, 2, 3…
    with source.connect() as db:
        db.execute("CREATE TABLE backup_probe (n integer PRIMARY KEY)")
    written, stop = [0], threading.Event()

    def write() -> None:
        with source.connect() as db:
            while not stop.is_set():
                db.execute(f"INSERT INTO backup_probe (n) VALUES ({written[0] + 1})")  # noqa: S608
                written[0] += 1
                time.sleep(0.005)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while written[0] < 5:
            time.sleep(0.01)
        archive = tmp_path / "backups" / "terrain.tar.gz"
        _manage(source_env, "backup", "--output", str(archive))
    finally:
        stop.set()
        writer.join()
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's only

    result = _manage(target_env, "restore", str(archive))
    assert "Restored" in result.stdout

    before, after = source.contents(), target.contents()
    probe_before, probe_after = before.pop("backup_probe"), after.pop("backup_probe")
    assert after == before
    # One snapshot: the rows written before it, all of them, none after a gap.
    numbers = sorted(row[0] for row in probe_after)
    assert len(numbers) >= 5
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) <= len(probe_before)
    assert _files(target.var / "media") == _files(source.var / "media")

    # The target now has members: a second restore is refused, unless forced.
    again = _manage(target_env, "restore", str(archive), check=False)
    assert again.returncode != 0
    assert "not empty" in again.stderr
    # Forced, it replaces the whole database, a table the archive does not know included.
    with target.connect() as db:
        db.execute("CREATE TABLE later_version (n integer)")
    _manage(target_env, "restore", "--force", str(archive))
    assert target.contents() == source.contents() | {"backup_probe": target.contents()["backup_probe"]}


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    env = _env(tmp_path, None)
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz"):
        pass
    result = _manage(env, "restore", str(not_a_backup), check=False)
    assert result.returncode != 0
    assert "not a Terrain backup" in result.stderr


@pytest.mark.django_db(transaction=True)  # as the command: no transaction around the backup
def test_files_written_during_the_backup_come_in_their_final_state(settings, monkeypatch, tmp_path):
    """A file still being written when first read, and one made meanwhile, are taken again after
    the database: the archive holds them as the database snapshot knows them."""
    from terrain.core import backup

    media = Path(settings.MEDIA_ROOT)
    (media / "posts").mkdir(parents=True)
    (media / "posts" / "growing.jpg").write_bytes(b"half")
    snapshot = backup._snapshot_database

    def while_snapshotting(connection, target):
        (media / "posts" / "growing.jpg").write_bytes(b"half and the rest")
        (media / "posts" / "new.jpg").write_bytes(b"new")
        snapshot(connection, target)

    monkeypatch.setattr(backup, "_snapshot_database", while_snapshotting)
    summary = backup.backup_write(path=tmp_path / "b.tar.gz")

    assert summary.files == 2
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        archive.extractall(tmp_path / "out", filter="data")
    assert (tmp_path / "out" / "media" / "posts" / "growing.jpg").read_bytes() == b"half and the rest"
    assert (tmp_path / "out" / "media" / "posts" / "new.jpg").read_bytes() == b"new"
