"""``python -m terrain.networks.fakes <kind>``: the benchmark and the demo start fakes with it."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("bluesky", "/xrpc/com.atproto.repo.listRecords?repo=syndicat.bsky.social&collection=app.bsky.feed.post"),
        ("telegram", "/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getMe"),
        ("x", "/2/users/me"),
    ],
)
def test_cli_prints_the_base_url_and_serves(kind, path):
    process = subprocess.Popen(  # noqa: S603 (our own module)
        [sys.executable, "-m", "terrain.networks.fakes", kind, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        answer = httpx.get(base_url + path, timeout=5)
        assert answer.status_code in (200, 401)  # X wants a token: it answers like X
        assert answer.headers["content-type"] == "application/json"
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_cli_refuses_an_unknown_kind():
    result = subprocess.run(
        [sys.executable, "-m", "terrain.networks.fakes", "myspace"], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "No fake network named 'myspace'" in result.stderr
