"""A gunicorn serving Terrain on a free loopback port, always stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
from config import REPO, VAR, Config


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served(NamedTuple):
    base: str  # its URL
    pid: int  # its master: the workers are its children


@contextlib.contextmanager
def gunicorn(config: Config, *, workers: int) -> Iterator[Served]:
    """Start gunicorn, wait until it answers, yield where it is; stop it whatever happens."""
    port = free_port()
    log_path = VAR / "gunicorn.log"
    binary = Path(sys.executable).with_name("gunicorn")
    command = [
        str(binary),
        "terrain.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--threads",
        "1",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=REPO, env=config.env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log_path)
        yield Served(base, process.pid)
    finally:
        _stop(process)


def _wait_ready(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {process.returncode}); see {log_path}")
        try:
            if httpx.get(f"{base}/sante/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {timeout} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # Our own gunicorn: its master and workers share the session we gave it.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
