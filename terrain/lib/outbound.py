"""The one guard for every address Terrain fetches on someone's word (SSRF).

A Mastodon instance typed by a member (and later an RSS feed, a link preview, a
webhook) makes the server open a connection where the member chose. Left alone,
that reaches the machine's own services, the private network and cloud metadata
addresses, and the error text tells closed ports from open ones. So:

- :func:`check_url` refuses, before any request, an address that is not
  ``http(s)://`` or whose name resolves to an address that is not public
  (loopback, private, link-local, multicast, reserved, shared...);
- :func:`guarded_session` is a ``requests`` session whose every connection, the
  ones a redirect opens included, checks the address it actually reached (a name
  that resolved to a public address once and a private one later, "DNS rebinding",
  is caught there), with at most :data:`MAX_REDIRECTS` redirects and each answer read
  within :data:`MAX_SECONDS` and :data:`MAX_BYTES`.

``settings.OUTBOUND_ALLOWED_HOSTS`` lists the exceptions: ``"host"`` (any port) or
``"host:port"`` (``"[::1]:8080"`` for IPv6). It is empty in production, and allows
the loopback only in tests and under ``DEBUG`` (the local fakes of the networks);
the benchmark names its peer. Every refusal is :class:`UnsafeAddress`, whose message
says nothing of the far side.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

MAX_REDIRECTS = 3
MAX_SECONDS = 30  # to read one answer, whatever the per-read timeout
MAX_BYTES = 5 * 1024 * 1024  # an API answer; uploads go the other way
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeAddress(ValueError):
    """An address Terrain will not fetch. The message is the same whatever the reason."""

    def __init__(self) -> None:
        super().__init__(refusal_message())
        self.message = str(self)


def refusal_message() -> str:
    return _("Terrain cannot reach this address. Check it, or ask the site's administrator.")


def is_public(address: str) -> bool:
    """Whether ``address`` (an IP, as text) is on the public Internet."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is not public anyway
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _allowed_entries() -> set[tuple[str, int | None]]:
    entries = set()
    for entry in getattr(settings, "OUTBOUND_ALLOWED_HOSTS", []):
        entry = entry.strip().lower()
        if not entry:
            continue
        host, port = entry, None
        if entry.startswith("["):  # [::1] or [::1]:8080
            host, _bracket, rest = entry[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
        elif entry.count(":") == 1:
            host, _colon, text = entry.partition(":")
            port = int(text) if text.isdigit() else None
        entries.add((host, port))
    return entries


def is_allowed_exception(host: str, port: int) -> bool:
    """Whether ``host:port`` is listed in ``OUTBOUND_ALLOWED_HOSTS`` (by name or by address)."""
    host = host.strip("[]").lower()
    entries = _allowed_entries()
    return (host, None) in entries or (host, port) in entries


def address_allowed(address: str, *, host: str, port: int) -> bool:
    """Whether a connection to ``address`` (asked for as ``host:port``) may go ahead."""
    return is_public(address) or is_allowed_exception(host, port) or is_allowed_exception(address, port)


def check_url(url: str) -> None:
    """Raise :class:`UnsafeAddress` unless ``url`` is http(s) and every address of its host is allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        raise UnsafeAddress() from None
    host = parts.hostname
    if parts.scheme not in DEFAULT_PORTS or not host or port is None or parts.username or parts.password:
        raise UnsafeAddress()
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeAddress() from None
    addresses = {info[4][0] for info in found}
    if not addresses or not all(address_allowed(a, host=host, port=port) for a in addresses):
        raise UnsafeAddress()


class BlockedConnection(NewConnectionError):
    """Raised inside ``requests`` when a connection reached an address that is not allowed.

    A :class:`NewConnectionError`: the request was never sent (no post can have left).
    """


class _Checked:
    """Checks the address the socket actually reached, after the name was resolved."""

    host: str
    port: int

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        try:
            address = sock.getpeername()[0]
        except OSError:
            address = ""
        if not address_allowed(address, host=self.host, port=self.port):
            sock.close()
            raise BlockedConnection(self, "refused by Terrain's outbound guard")  # type: ignore[arg-type]
        return sock


class _CheckedHTTPConnection(_Checked, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_Checked, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A ``requests`` adapter whose connections go through the guard, and whose answers are
    read within :data:`MAX_SECONDS` and :data:`MAX_BYTES` in all (a request's own timeout
    bounds each wait, not a server that drips one byte at a time)."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def send(self, request, stream=False, **kwargs):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        response = super().send(request, stream=True, **kwargs)
        if stream:
            return response
        chunks, size = [], 0
        try:
            # read1: what has come so far, so that the deadline is checked between small reads.
            while chunk := response.raw.read1(65536, decode_content=True):
                size += len(chunk)
                if size > MAX_BYTES or time.monotonic() - started > MAX_SECONDS:
                    raise requests.exceptions.ReadTimeout("answer too long or too slow", request=request)
                chunks.append(chunk)
        except requests.exceptions.RequestException:
            response.close()
            raise
        except Exception as error:  # urllib3's own read errors, as requests would have raised them
            response.close()
            raise requests.exceptions.ConnectionError(error, request=request) from error
        response._content = b"".join(chunks)
        response._content_consumed = True
        response.raw.release_conn()  # read to the end: the connection goes back to the pool, kept alive
        return response


def guard_session(session: requests.Session) -> requests.Session:
    """Put ``session``'s connections and redirects under the guard (returns it)."""
    adapter = GuardedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    session.trust_env = False  # a proxy from the environment would be the peer the guard sees
    return session


def guarded_session() -> requests.Session:
    return guard_session(requests.Session())
