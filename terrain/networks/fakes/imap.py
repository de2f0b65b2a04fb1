"""A small local IMAP4rev1 server (RFC 3501) for the e-mail inbox's tests and demo.

It speaks what :mod:`imaplib` sends for the inbox: ``CAPABILITY``, ``STARTTLS``, ``LOGIN``,
``SELECT`` / ``EXAMINE`` (with ``EXISTS``, ``[UIDVALIDITY n]`` and ``[UIDNEXT n]``), ``UID SEARCH
UID n:*`` and ``UID SEARCH HEADER Message-ID <id>``, ``UID FETCH <uids> (BODY.PEEK[])`` with
literals, ``NOOP`` and ``LOGOUT``.

Three ways to listen, as mail servers do:

- plain TCP (the default): the connector allows it only on loopback, where the setting
  ``INBOX_IMAP_PLAIN_LOOPBACK`` says so (the demo's sandbox);
- implicit TLS (``tls=context``, like port 993): every connection is TLS from its first byte;
- STARTTLS (``tls=context, starttls=True``, like port 143; RFC 3501, section 6.2.1): the greeting
  is in clear, ``CAPABILITY`` offers ``STARTTLS`` and ``LOGINDISABLED``, ``LOGIN`` is refused until
  ``STARTTLS`` is answered ``OK Begin TLS negotiation now`` and the connection is wrapped; what the
  client had sent in clear after it is discarded, and the capabilities change.

``context`` is a server-side :class:`ssl.SSLContext` with the server's certificate (the tests make
one with ``trustme``). Like real servers, ``UID SEARCH UID n:*`` answers the last message even when
``n`` is past it (``*`` is the highest UID: RFC 3501, section 6.4.8), which a client must filter
out. Tests drive the state with ``deliver``, ``renumber`` (a new UIDVALIDITY), ``drop_next``,
``refuse_starttls``, and read ``commands`` (all of them) and ``in_clear`` (those sent before TLS).
"""

from __future__ import annotations

import contextlib
import re
import socket
import socketserver
import ssl
import threading

LITERAL_END = b"\r\n"


class _Connection:
    """One client's connection: its socket and the files read and written, swapped by STARTTLS."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.rfile = sock.makefile("rb")
        self.wfile = sock.makefile("wb", buffering=0)
        self.tls = isinstance(sock, ssl.SSLSocket)

    def send(self, line: str | bytes) -> None:
        self.wfile.write(line if isinstance(line, bytes) else line.encode())

    def start_tls(self, context: ssl.SSLContext) -> None:
        """Wrap the socket; whatever the client sent in clear after STARTTLS is dropped with the old reader."""
        self.rfile.close()
        self.wfile.close()
        self.sock = context.wrap_socket(self.sock, server_side=True)
        self.rfile = self.sock.makefile("rb")
        self.wfile = self.sock.makefile("wb", buffering=0)
        self.tls = True

    def close(self) -> None:
        for part in (self.rfile, self.wfile, self.sock):
            with contextlib.suppress(OSError):
                part.close()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # the sandbox starts again on the same port at once
    daemon_threads = True


class ImapFake:
    name = "imap"
    #: How long the server waits for a client that says nothing (a test that went wrong).
    idle_seconds = 10.0

    def __init__(
        self,
        *,
        user: str = "section@terrain.example",
        password: str = "bon-mot-de-passe",  # noqa: S107
        tls: ssl.SSLContext | None = None,
        starttls: bool = False,
    ) -> None:
        if starttls and tls is None:
            raise ValueError("STARTTLS needs the server's TLS context")
        self.lock = threading.RLock()
        self.users = {user: password}
        self.user = user
        self.password = password
        self.tls = tls
        self.starttls = starttls
        self.uidvalidity = 1700000001
        self.next_uid = 1
        self.messages: list[tuple[int, bytes]] = []
        self.commands: list[str] = []
        self.in_clear: list[str] = []
        self._drop: str | None = None
        self._refuse_starttls = False
        self._server: _Server | None = None

    # State for tests ---------------------------------------------------
    def deliver(self, raw: bytes | str) -> int:
        with self.lock:
            uid = self.next_uid
            self.next_uid += 1
            self.messages.append((uid, raw.encode() if isinstance(raw, str) else raw))
            return uid

    def renumber(self) -> None:
        """The mailbox was rebuilt: a new UIDVALIDITY and new UIDs for the same messages."""
        with self.lock:
            self.uidvalidity += 1
            kept = [raw for _uid, raw in self.messages]
            self.messages, self.next_uid = [], 1
            for raw in kept:
                self.deliver(raw)

    def drop_next(self, command: str = "UID") -> None:
        """Close the connection without answering when ``command`` next comes."""
        with self.lock:
            self._drop = command.upper()

    def refuse_starttls(self) -> None:
        """Offer STARTTLS but answer it ``BAD`` (what a meddling middlebox may do)."""
        with self.lock:
            self._refuse_starttls = True

    # Lifecycle ---------------------------------------------------------
    def start(self, port: int = 0) -> ImapFake:
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                fake.serve(self.request)

        self._server = _Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, name="fake-imap", daemon=True).start()
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Where it listens, as an IMAP URL (RFC 5092): ``imaps://`` when it speaks TLS at once."""
        scheme = "imaps" if self.tls is not None and not self.starttls else "imap"
        return f"{scheme}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ImapFake:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Protocol ----------------------------------------------------------
    def serve(self, sock: socket.socket) -> None:
        """One client, from the greeting (or the TLS handshake) to the end of its connection."""
        sock.settimeout(self.idle_seconds)
        if self.tls is not None and not self.starttls:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (OSError, ssl.SSLError):
                return  # the client refused our certificate, or spoke in clear: nothing to serve
        connection = _Connection(sock)
        try:
            self.session(connection)
        except (OSError, ssl.SSLError):
            pass  # the client went away, or its TLS handshake failed after STARTTLS
        finally:
            connection.close()

    def capabilities(self, connection: _Connection) -> str:
        if self.starttls and not connection.tls:
            return "IMAP4rev1 STARTTLS LOGINDISABLED"
        return "IMAP4rev1 AUTH=PLAIN"

    def session(self, connection: _Connection) -> None:
        send = connection.send
        send("* OK IMAP4rev1 fake ready\r\n")
        logged_in = selected = False
        while True:
            line = connection.rfile.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            tag, _sep, rest = text.partition(" ")
            command, _sep, args = rest.partition(" ")
            command = command.upper()
            with self.lock:
                said = f"{command} {args}".strip() if command != "LOGIN" else "LOGIN"
                self.commands.append(said)
                if not connection.tls:
                    self.in_clear.append(said)
                drop = self._drop == command
                if drop:
                    self._drop = None
                refuse_starttls = self._refuse_starttls
            if drop:
                return
            if command == "CAPABILITY":
                send(f"* CAPABILITY {self.capabilities(connection)}\r\n{tag} OK CAPABILITY completed\r\n")
            elif command == "STARTTLS":
                if not self.starttls or connection.tls or refuse_starttls or self.tls is None:
                    send(f"{tag} BAD STARTTLS not available here\r\n")
                    continue
                send(f"{tag} OK Begin TLS negotiation now\r\n")
                connection.start_tls(self.tls)
            elif command == "NOOP":
                send(f"{tag} OK NOOP completed\r\n")
            elif command == "LOGOUT":
                send(f"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n")
                return
            elif command == "LOGIN":
                words = _words(args)
                if self.starttls and not connection.tls:
                    send(f"{tag} NO [PRIVACYREQUIRED] LOGIN is disabled before STARTTLS\r\n")
                elif len(words) == 2 and self.users.get(words[0]) == words[1]:
                    logged_in = True
                    send(f"{tag} OK [CAPABILITY IMAP4rev1] LOGIN completed\r\n")
                else:
                    send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            elif not logged_in:
                send(f"{tag} BAD Log in first\r\n")
            elif command in {"SELECT", "EXAMINE"}:
                if _words(args)[:1] != ["INBOX"]:
                    send(f"{tag} NO [NONEXISTENT] No such mailbox\r\n")
                    continue
                selected = True
                with self.lock:
                    send(
                        f"* {len(self.messages)} EXISTS\r\n* 0 RECENT\r\n"
                        f"* OK [UIDVALIDITY {self.uidvalidity}] UIDs valid\r\n"
                        f"* OK [UIDNEXT {self.next_uid}] Predicted next UID\r\n"
                        f"{tag} OK [{'READ-ONLY' if command == 'EXAMINE' else 'READ-WRITE'}] {command} completed\r\n"
                    )
            elif command == "UID" and selected:
                self.uid_command(tag, args, send)
            else:
                send(f"{tag} BAD Unknown or unexpected command\r\n")

    def uid_command(self, tag: str, args: str, send) -> None:
        sub, _sep, rest = args.partition(" ")
        sub = sub.upper()
        with self.lock:
            messages = list(self.messages)
        if sub == "SEARCH":
            found = self.search(rest, messages)
            send(
                f"* SEARCH {' '.join(map(str, found))}\r\n".replace(" \r\n", "\r\n") + f"{tag} OK SEARCH completed\r\n"
            )
            return
        if sub == "FETCH":
            uids_text, _sep, items = rest.partition(" ")
            if "BODY.PEEK[]" not in items.upper():
                send(f"{tag} BAD Only BODY.PEEK[] here\r\n")
                return
            wanted = set(_uid_set(uids_text, messages))
            for seq, (uid, raw) in enumerate(messages, start=1):
                if uid in wanted:
                    send(f"* {seq} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode() + raw + b")\r\n")
            send(f"{tag} OK FETCH completed\r\n")
            return
        send(f"{tag} BAD Unknown UID command\r\n")

    def search(self, criteria: str, messages: list[tuple[int, bytes]]) -> list[int]:
        words = _words(criteria)
        if len(words) == 2 and words[0].upper() == "UID":
            return _uid_set(words[1], messages)
        if len(words) == 3 and words[0].upper() == "HEADER":
            name, value = words[1].lower().encode(), words[2].lower().encode()
            found = []
            for uid, raw in messages:
                head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
                for header in head.splitlines():
                    key, _colon, content = header.partition(b":")
                    if key.strip().lower() == name and value in content.lower():
                        found.append(uid)
                        break
            return found
        return []


def _words(text: str) -> list[str]:
    """IMAP atoms and quoted strings (``"a \\"b\\""``)."""
    return [
        re.sub(r'\\(["\\])', r"\1", quoted) if quoted or atom == "" else atom
        for quoted, atom in re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', text)
    ]


def _uid_set(text: str, messages: list[tuple[int, bytes]]) -> list[int]:
    """The UIDs of a set such as ``4``, ``4:*``, ``1,3:5`` (``*``: the highest UID in the mailbox)."""
    uids = [uid for uid, _raw in messages]
    highest = max(uids, default=0)
    found: set[int] = set()
    for part in text.split(","):
        low, _colon, high = part.partition(":")
        try:
            start = highest if low == "*" else int(low)
            end = start if not _colon else (highest if high == "*" else int(high))
        except ValueError:
            continue
        start, end = min(start, end), max(start, end)
        found.update(uid for uid in uids if start <= uid <= end)
    return sorted(found)
