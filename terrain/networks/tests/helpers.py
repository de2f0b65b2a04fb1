"""Helpers for the connector tests."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable

import httpx

from terrain.networks.fakes.server import FakeServer, Request, Response


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


def wait_for(condition: Callable[[], bool], *, timeout: float = 3.0) -> bool:
    """Poll ``condition`` until true (a fake finishing a slowed request after the client gave up)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class TestAuthority:
    """A certificate authority made at test time (``trustme``): nothing downloaded, nothing kept.

    ``server_context(*names)`` is what a local server presents (a certificate for those names,
    signed by this authority); ``client_context()`` is what a client trusts: the same defaults as
    ``ssl.create_default_context()`` (system authorities, names checked), plus this authority.
    """

    __test__ = False  # a helper, not a test class

    def __init__(self) -> None:
        import trustme

        self.ca = trustme.CA()

    def server_context(self, *names: str) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*(names or ("127.0.0.1", "localhost"))).configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context
