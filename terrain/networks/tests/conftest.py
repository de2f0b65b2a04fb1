"""Fixtures for the connector tests: local servers speaking each network's API."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import httpx
import pytest

from terrain.networks.base import Media
from terrain.networks.tests.helpers import ForwardingProxy


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


@pytest.fixture
def mastodon_proxy(mastodon_server) -> Iterator[ForwardingProxy]:
    proxy = ForwardingProxy(mastodon_server.base_url)
    proxy.start()
    yield proxy
    proxy.stop()
