"""settings.py refuses to start in production with an insecure secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import terrain.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_a_short_secret_key():
    assert _import_settings(DEBUG="0", SECRET_KEY="short").returncode != 0


def test_starts_with_a_real_secret_key():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d")
    assert result.returncode == 0, result.stderr


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "terrain.settings",
            "SQLITE_PATH": str(tmp_path / "t.db"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


def _setting(name: str, var_dir: Path, **env: str) -> str:
    drop = {"DEBUG", "SECRET_KEY", "DATABASE_URL", name}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    result = subprocess.run(  # noqa: S603 (our own settings, a name written in this file)
        [sys.executable, "-c", f"import terrain.settings as s; print(s.{name})"],
        cwd=ROOT,
        env={**clean, "TERRAIN_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def _debug_key(var_dir: Path) -> str:
    return _setting("SECRET_KEY", var_dir, DEBUG="1")


def test_under_debug_each_instance_makes_its_own_key_once_and_keeps_it(tmp_path):
    from terrain import settings

    first = _debug_key(tmp_path / "one")
    assert first == (tmp_path / "one" / "secret_key").read_text().strip()
    assert len(first) >= 50
    assert first != settings._INSECURE_KEY
    assert ((tmp_path / "one" / "secret_key").stat().st_mode & 0o777) == 0o600
    assert _debug_key(tmp_path / "one") == first  # the next start reads the same key
    assert _debug_key(tmp_path / "two") != first  # another instance, another key


def test_var_is_never_committed():
    assert "var/" in (ROOT / ".gitignore").read_text().split()


def test_plain_imap_on_the_loopback_is_for_the_demo_only(tmp_path):
    key = "x" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d"
    assert _setting("INBOX_IMAP_PLAIN_LOOPBACK", tmp_path, DEBUG="0", SECRET_KEY=key) == "False"
    assert _setting("INBOX_IMAP_PLAIN_LOOPBACK", tmp_path, DEBUG="1") == "True"  # make run: the sandbox's mailbox
