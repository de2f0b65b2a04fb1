"""A local news site for the watch tests: serves feeds as told, records what it was asked."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FeedServer:
    """``answers[path]`` is what ``GET path`` gets; an ``If-None-Match`` equal to the answer's
    ETag gets a 304, as a real server does. ``asked`` keeps each request's headers."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.asked: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.asked.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                answer = server.answers.get(self.path, Answer(status=404, body=b"not found"))
                if answer.delay:
                    time.sleep(answer.delay)
                etag = answer.headers.get("ETag")
                status = 304 if etag and self.headers.get("If-None-Match") == etag else answer.status
                self.send_response(status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                body = b"" if status == 304 else answer.body
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (a timeout, a body too big)
                    self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(*entries: tuple[str, str, str], title: str = "La Provence") -> bytes:
    """An RSS 2.0 feed of ``(guid, title, description)`` entries."""
    items = "".join(
        f"<item><guid>{guid}</guid><title>{heading}</title><description>{text}</description>"
        f"<link>https://journal.example/{guid}</link><pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate></item>"
        for guid, heading, text in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://journal.example/</link><description>Actualité</description>{items}</channel></rss>"
    ).encode()
