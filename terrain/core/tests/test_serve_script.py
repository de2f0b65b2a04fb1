"""scripts/serve.py (``make serve``) serves as in production: gunicorn with DEBUG off, static
files compressed and cached, the task worker and the clock running, all stopped by SIGTERM."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (a loopback address of the test)
    try:
        return urllib.request.urlopen(request, timeout=5)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    unwanted = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TASK_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        DEBUG="1",  # ignored: serve.py always turns it off
        SECRET_KEY="s" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d",
        TERRAIN_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "scripts/serve.py", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                if _get(f"{base}/sante/").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 90 s"
            time.sleep(0.3)
        yield process, base, tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # only if the test failed before stopping it
        process.wait(timeout=10)


def test_serve_answers_with_debug_off_and_stops_on_sigterm(served):
    process, base, var = served
    # DEBUG off: the site's own "not found" page, not Django's technical one.
    missing = _get(f"{base}/nulle-part/")
    assert missing.status == 404
    assert "URLconf" not in missing.read().decode()
    # Static files: hashed names (collected with the manifest), compressed, cached for good.
    login = _get(f"{base}/compte/connexion/").read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login).group(1)
    style = _get(base + stylesheet, **{"Accept-Encoding": "gzip"})
    assert style.headers["Content-Encoding"] == "gzip"
    assert "immutable" in style.headers["Cache-Control"]
    assert b"{" in gzip.decompress(style.read())
    # The clock enqueued its jobs and the worker ran them.
    deadline = time.monotonic() + 30
    while True:
        with sqlite3.connect(var / "terrain.sqlite3") as db:
            done = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status='SUCCESSFUL'")
            if done.fetchone()[0]:
                break
        assert time.monotonic() < deadline, "no periodic job ran within 30 s"
        time.sleep(0.5)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    output = process.stdout.read()
    assert "Listening at" in output  # gunicorn, not runserver
    with pytest.raises(OSError):
        _get(f"{base}/sante/")


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "scripts/serve.py"],
        cwd=ROOT,
        env={**env, "TERRAIN_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
