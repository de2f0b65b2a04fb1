"""A small local IMAP4rev1 server (RFC 3501) for the e-mail inbox's tests and demo.

It speaks what :mod:`imaplib` sends for the inbox: ``CAPABILITY``, ``LOGIN``, ``SELECT`` /
``EXAMINE`` (with ``EXISTS``, ``[UIDVALIDITY n]`` and ``[UIDNEXT n]``), ``UID SEARCH UID n:*``
and ``UID SEARCH HEADER Message-ID <id>``, ``UID FETCH <uids> (BODY.PEEK[])`` with literals,
``NOOP`` and ``LOGOUT``. Plain TCP on loopback: the connector allows it only where the setting
``INBOX_IMAP_PLAIN_LOOPBACK`` says so.

Like real servers, ``UID SEARCH UID n:*`` answers the last message even when ``n`` is past it
(``*`` is the highest UID: RFC 3501, section 6.4.8), which a client must filter out.
Tests drive the state with ``deliver``, ``renumber`` (a new UIDVALIDITY), ``drop_next``.
"""

from __future__ import annotations

import re
import socketserver
import threading
from typing import Any

LITERAL_END = b"\r\n"


class ImapFake:
    name = "imap"

    def __init__(self, *, user: str = "section@terrain.example", password: str = "bon-mot-de-passe") -> None:  # noqa: S107
        self.lock = threading.RLock()
        self.users = {user: password}
        self.user = user
        self.password = password
        self.uidvalidity = 1700000001
        self.next_uid = 1
        self.messages: list[tuple[int, bytes]] = []
        self.commands: list[str] = []
        self._drop: str | None = None
        self._server: socketserver.ThreadingTCPServer | None = None

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

    # Lifecycle ---------------------------------------------------------
    def start(self) -> ImapFake:
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                fake.session(self.rfile, self.wfile, self.connection)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-imap", daemon=True).start()
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # Protocol ----------------------------------------------------------
    def session(self, rfile: Any, wfile: Any, connection: Any) -> None:
        def send(line: str | bytes) -> None:
            wfile.write(line if isinstance(line, bytes) else line.encode())

        send("* OK IMAP4rev1 fake ready\r\n")
        logged_in = selected = False
        while True:
            line = rfile.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            tag, _sep, rest = text.partition(" ")
            command, _sep, args = rest.partition(" ")
            command = command.upper()
            with self.lock:
                self.commands.append(f"{command} {args}".strip() if command != "LOGIN" else "LOGIN")
                drop = self._drop == command
                if drop:
                    self._drop = None
            if drop:
                connection.close()
                return
            if command == "CAPABILITY":
                send(f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK CAPABILITY completed\r\n")
            elif command == "NOOP":
                send(f"{tag} OK NOOP completed\r\n")
            elif command == "LOGOUT":
                send(f"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n")
                return
            elif command == "LOGIN":
                words = _words(args)
                if len(words) == 2 and self.users.get(words[0]) == words[1]:
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
