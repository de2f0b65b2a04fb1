"""A tiny threaded HTTP server with routes, in-memory state and fault injection.

A fake network subclasses :class:`FakeServer`, declares routes with :func:`route`
and keeps its state in attributes. Tests and the benchmark drive failures:

- ``fail_next(status, headers=..., json=..., body=...)``: the next matching requests get that
  answer (429 with Retry-After, 500, 401 for an expired token, a malformed body...);
- ``slow_next(seconds)``: answer after a delay (longer than the client's timeout: a timeout);
- ``drop_next()``: do the work, then close the connection without answering (the client
  cannot know whether the post exists: an uncertain outcome).
"""

from __future__ import annotations

import json as jsonlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        return jsonlib.loads(self.body or b"null")

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def form(self) -> dict[str, Any]:
        """URL-encoded or multipart form: text fields as str, files as bytes."""
        content_type = self.header("content-type")
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + self.body)
            fields: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                fields[name] = payload if part.get_filename() else payload.decode()
            return fields
        return {key: values[-1] for key, values in parse_qs(self.body.decode()).items()}

    @property
    def bearer(self) -> str:
        auth = self.header("authorization")
        return auth[7:] if auth.lower().startswith("bearer ") else ""


@dataclass
class Response:
    status: int = 200
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self) -> bytes:
        if self.json is not None:
            self.headers.setdefault("Content-Type", "application/json")
            return jsonlib.dumps(self.json).encode()
        return self.body


@dataclass
class Fault:
    kind: str  # "fail" | "slow" | "drop"
    times: int
    path_contains: str = ""
    response: Response | None = None
    seconds: float = 0.0


def route(method: str, pattern: str) -> Callable:
    """Declare a handler: ``@route("POST", r"/api/v1/statuses")``; named groups become ``request.params``."""

    def decorate(func: Callable) -> Callable:
        func.route = (method, re.compile(f"^{pattern}$"))
        return func

    return decorate


class FakeServer:
    name = "fake"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._routes = [
            (*getattr(self, attr).route, getattr(self, attr))
            for attr in dir(type(self))
            if hasattr(getattr(type(self), attr), "route")
        ]
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Fault injection ---------------------------------------------------
    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        path_contains: str = "",
        json: Any = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> None:
        """``body``: raw bytes instead of JSON (a truncated or malformed answer)."""
        if body is not None:
            response = Response(status=status, body=body, headers=headers or {"Content-Type": "application/json"})
        else:
            response = Response(
                status=status, json=json if json is not None else {"error": "injected"}, headers=headers or {}
            )
        with self.lock:
            self.faults.append(Fault("fail", times, path_contains, response=response))

    def slow_next(self, seconds: float, *, times: int = 1, path_contains: str = "") -> None:
        with self.lock:
            self.faults.append(Fault("slow", times, path_contains, seconds=seconds))

    def drop_next(self, *, times: int = 1, path_contains: str = "") -> None:
        with self.lock:
            self.faults.append(Fault("drop", times, path_contains))

    def _take_fault(self, request: Request) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path_contains in request.path and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # Dispatch ----------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.params = match.groupdict()
                return handler(request)
        return Response(404, json={"error": "not found"})

    # What it received ---------------------------------------------------
    def received(self) -> list[dict[str, Any]]:
        """The posts this fake holds, newest first: ``{"account", "text", "at", "id"}`` each.

        Read by the demo's sandbox page (``GET /_fake/received``); a fake that keeps
        posts overrides it.
        """
        return []

    @route("GET", r"/_fake/received")
    def fake_received(self, request: Request) -> Response:
        """Not part of any network's API: what a local sandbox shows of its state."""
        return Response(json={"network": self.name, "posts": self.received()})

    def calls(self, method: str, path_contains: str = "") -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method == method and path_contains in r.path]

    # Lifecycle ---------------------------------------------------------
    def start(self, port: int = 0) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Answer at once on kept-alive connections (Nagle plus delayed ACK cost 40 ms a request).
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=split.path,
                    query=parse_qs(split.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with server.lock:
                    server.requests.append(request)
                fault = server._take_fault(request)
                if fault and fault.kind == "slow":
                    time.sleep(fault.seconds)
                if fault and fault.kind == "fail":
                    response = fault.response
                else:
                    with server.lock:
                        response = server.dispatch(request)
                if fault and fault.kind == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                body = response.encode()
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"fake-{self.name}", daemon=True)
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
