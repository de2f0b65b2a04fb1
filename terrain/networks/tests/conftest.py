"""Fixtures for the connector tests: local servers speaking each network's API."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import httpx
import pytest

from terrain.networks.base import Media
from terrain.networks.fakes.server import FakeServer, Request, Response


@pytest.fixture
def short_timeout(settings):
    """A short network timeout, so that a slow answer becomes a timeout quickly."""
    settings.NETWORK_TIMEOUT_SECONDS = 0.5
    return settings.NETWORK_TIMEOUT_SECONDS


def _png() -> bytes:
    """A real 1x1 PNG (some fakes check the file signature)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def image() -> Media:
    alt = "Des militant·es devant la mairie"
    return Media(data=_png(), mime_type="image/png", alt=alt, filename="rassemblement.png")


@pytest.fixture(scope="session")
def _mastodon_mock() -> Iterator:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def mastodon_server(_mastodon_mock):
    """mastodon-mock (in memory, in a thread), back to its seed: alice, bob and carol, alice following bob.

    One server for the session, reset before each test (``POST /api/v1/_mock/reset`` also
    clears the fault rules): starting one takes a second.
    """
    httpx.post(f"{_mastodon_mock.base_url}/api/v1/_mock/reset").raise_for_status()
    return _mastodon_mock


class ForwardingProxy(FakeServer):
    """Forwards every request to ``target``: its ``drop_next()`` lets the real server do the work
    and loses the answer on the way back (mastodon-mock's own faults cannot do that for a POST)."""

    name = "proxy"

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def dispatch(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length", "connection")}
        query = [(key, value) for key, values in request.query.items() for value in values]
        answer = httpx.request(
            request.method, self.target + request.path, params=query, headers=headers, content=request.body
        )
        kept = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "retry-after", "link")}
        return Response(status=answer.status_code, body=answer.content, headers=kept)


@pytest.fixture
def mastodon_proxy(mastodon_server) -> Iterator[ForwardingProxy]:
    proxy = ForwardingProxy(mastodon_server.base_url)
    proxy.start()
    yield proxy
    proxy.stop()
