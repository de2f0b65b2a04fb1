"""E-mail to a structure's address, read over IMAP and answered through Terrain's e-mail.

Connecting asks for the mailbox's server, port, user and password (``auth_flow = "imap"``;
the secrets are stored encrypted like every account's). The server must speak IMAP over
TLS (port 993) or STARTTLS (port 143), with a certificate the system trusts for its name
(:func:`tls_context`); plain IMAP is refused except on loopback when
``settings.INBOX_IMAP_PLAIN_LOOPBACK`` is set (the local test server, the demo's sandbox). A
server asked for STARTTLS that does not offer it, or refuses it, is never spoken to in clear: the
password never leaves unencrypted. A server address typed by a member is checked like any
outbound address (``terrain.lib.outbound``).

Reading (``fetch_inbound``, stream ``mail``): the INBOX is opened read-only and read by UID
after the cursor ``UIDVALIDITY:last UID`` (``BODY.PEEK[]``: nothing is marked as read). A
changed UIDVALIDITY (the mailbox was rebuilt) reads it again from the start: the items keep
their Message-ID as ``remote_id``, so the inbox stores none twice.

Answering (``reply``): the message answered is found again by its Message-ID, and the
answer goes through Django's e-mail backend (the task queue) from the structure's address,
with ``In-Reply-To`` and ``References``, and a Message-ID built from the marker. A marker
already sent is not sent again (the cache remembers it for :data:`SENT_MEMORY` seconds).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import imaplib
import ipaddress
import logging
import re
import socket
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from email.utils import getaddresses, make_msgid, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from terrain.lib.outbound import address_allowed, refusal_message
from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    InboundItem,
    InboundPage,
    Metrics,
    PermanentError,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
)

logger = logging.getLogger(__name__)

#: Messages read per call; a full page asks the inbox to call again at once.
PAGE = 50
#: How long a sent answer's marker is remembered (a retry comes within hours).
SENT_MEMORY = 7 * 24 * 3600
#: The most of a message's body kept (the inbox shortens it again).
MAX_BODY = 20_000
SECURITIES = ("ssl", "starttls")


class ImapConnector(Connector):
    kind = "imap"
    label = "E-mail"
    can_publish = False  # it receives and answers; the composer does not offer it
    position = 90
    auth_flow = "imap"
    max_chars = None
    max_media = 0
    inbox_streams = ("mail",)
    can_search = False
    # Mail servers publish no per-account read limit; providers cap connections and
    # downloads per day (Gmail: 2,500 MB). One reading a minute stays far below.
    read_limit = RateLimit(calls=60, seconds=3600)
    rate_limit = RateLimit(calls=500, seconds=24 * 3600)  # answers, within common providers' daily sending caps

    # Connection ---------------------------------------------------------
    def _settings(self, account: AccountData) -> dict[str, Any]:
        secrets = account.secrets
        host, user, password = secrets.get("host"), secrets.get("username"), secrets.get("password")
        if not host or not user or not password:
            raise AuthError(_("No credentials are stored for this e-mail address: reconnect it."))
        try:
            port = int(secrets.get("port") or 993)
        except (TypeError, ValueError):
            raise PermanentError(_("The mail server's port is not a number.")) from None
        security = secrets.get("security") if secrets.get("security") in SECURITIES else "ssl"
        return {"host": str(host), "port": port, "user": str(user), "password": str(password), "security": security}

    def _open(self, account: AccountData) -> imaplib.IMAP4:
        """A logged-in connection with INBOX selected read-only."""
        config = self._settings(account)
        host, port = config["host"], config["port"]
        loopback = _check_host(host, port)
        plain = loopback and getattr(settings, "INBOX_IMAP_PLAIN_LOOPBACK", False)
        imap = self._connect(host, port, security=config["security"], plain=plain)
        try:
            imap.login(config["user"], config["password"])
        except imaplib.IMAP4.abort as error:
            _close(imap)
            raise TransientError(_("The mail server closed the connection: Terrain will try again later.")) from error
        except imaplib.IMAP4.error as error:
            _close(imap)
            raise AuthError(
                _("The mail server refused the user name or the password: reconnect the address.")
            ) from error
        except OSError as error:
            _close(imap)
            raise TransientError(_("The mail server closed the connection: Terrain will try again later.")) from error
        self._call(imap, lambda: imap.select("INBOX", readonly=True))
        return imap

    def _connect(self, host: str, port: int, *, security: str, plain: bool) -> imaplib.IMAP4:
        """A connection over TLS (``ssl``) or upgraded by STARTTLS, ready for LOGIN; in clear only if ``plain``."""
        imap: imaplib.IMAP4 | None = None
        try:
            if security == "ssl" and not plain:
                imap = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(), timeout=self.timeout)
            else:
                imap = imaplib.IMAP4(host, port, timeout=self.timeout)
                if not plain:
                    _start_tls(imap)
        except PermanentError:
            _shut(imap)
            raise
        except ssl.SSLCertVerificationError as error:
            _shut(imap)
            logger.warning("IMAP %s:%s has a certificate Terrain cannot trust: %s", host, port, error)
            raise PermanentError(
                _(
                    "The mail server's certificate could not be verified (it has expired, no known "
                    "authority signed it, or it was made for another name): Terrain does not send the "
                    "password over a connection it cannot check. Check the server's name with the mail provider."
                )
            ) from error
        except ssl.SSLError as error:
            _shut(imap)
            logger.warning("IMAP %s:%s: no TLS connection could be made: %s", host, port, error)
            raise TransientError(
                _(
                    "Terrain could not open a secure connection with the mail server: check the port and "
                    "the security chosen (TLS, usually port 993; STARTTLS, usually port 143)."
                )
            ) from error
        except (OSError, imaplib.IMAP4.error) as error:
            _shut(imap)
            logger.warning("IMAP %s:%s could not be reached: %s", host, port, error)
            raise TransientError(
                _("Terrain could not reach the mail server: it did not answer, or its address is wrong.")
            ) from error
        return imap

    def _call(self, imap: imaplib.IMAP4, command) -> Any:
        """Run one IMAP command; a lost connection is transient, a refusal permanent."""
        try:
            typ, data = command()
        except (imaplib.IMAP4.abort, OSError) as error:
            _close(imap)
            raise TransientError(_("The mail server closed the connection: Terrain will try again later.")) from error
        except imaplib.IMAP4.error as error:
            _close(imap)
            raise PermanentError(_("The mail server refused a command: %(detail)s") % {"detail": error}) from error
        if typ != "OK":
            _close(imap)
            raise PermanentError(_("The mail server refused a command: %(detail)s") % {"detail": _text(data)})
        return data

    # Account -------------------------------------------------------------
    def validate_credentials(self, account: AccountData) -> AccountInfo:
        imap = self._open(account)
        _close(imap)
        address = str(account.secrets.get("address") or account.secrets.get("username"))
        return AccountInfo(remote_id=address.lower(), handle=address, display_name=address, url=f"mailto:{address}")

    def fetch_followers(self, account: AccountData) -> int | None:
        return None

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        raise RejectedContent(_("An e-mail address only receives and answers messages: it cannot publish."))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        return None

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        return Metrics()

    # Inbox ---------------------------------------------------------------
    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        if stream not in self.inbox_streams:
            raise PermanentError(_("E-mail has no such stream: %(stream)s") % {"stream": stream})
        imap = self._open(account)
        try:
            validity = _uidvalidity(imap)
            known, _colon, last_text = cursor.partition(":")
            last = int(last_text) if known == validity and last_text.isdigit() else 0
            data = self._call(imap, lambda: imap.uid("SEARCH", "UID", f"{last + 1}:*"))
            # "n:*" answers the last message even when n is past it (RFC 3501): keep only what is new.
            uids = sorted(u for u in (int(w) for w in _text(data).split() if w.isdigit()) if u > last)
            batch = uids[:PAGE]
            items = []
            for uid in batch:
                raw = _fetch_one(self, imap, uid)
                item = _inbound_mail(raw, uid=uid, validity=validity) if raw is not None else None
                if item is not None:
                    items.append(item)
        finally:
            _close(imap)
        new_last = max(batch, default=last)
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=f"{validity}:{new_last}", more=len(uids) > PAGE)

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the message whose Message-ID is ``to``, once per marker."""
        address = str(account.secrets.get("address") or account.secrets.get("username") or "")
        domain = address.rpartition("@")[2] or "terrain.invalid"
        marker = re.sub(r"[^A-Za-z0-9._-]", "", content.marker)
        message_id = f"<terrain.{marker}@{domain}>" if marker else make_msgid(domain=domain)
        memory = f"inbox-imap-sent:{message_id}"
        if marker and cache.get(memory):
            return RemotePost(remote_id=message_id.strip("<>"))
        original = self._find(account, to)
        recipients = [a for _name, a in getaddresses([original.get("Reply-To") or original.get("From") or ""]) if a]
        if not recipients:
            raise PermanentError(_("The message gives no address to answer to."))
        subject = str(original.get("Subject") or "").strip()
        if not subject.lower().startswith("re:"):
            subject = f"Re: {subject}".strip()
        references = " ".join([*str(original.get("References") or "").split(), f"<{to}>"][-20:])
        message = EmailMessage(
            subject=_one_line(subject),
            body=content.text,
            from_email=address,
            to=recipients[:1],
            headers={"Message-ID": message_id, "In-Reply-To": f"<{to}>", "References": references},
        )
        if marker and not cache.add(memory, True, SENT_MEMORY):
            return RemotePost(remote_id=message_id.strip("<>"))
        try:
            message.send()
        except Exception as error:
            cache.delete(memory)
            logger.warning("An answer by e-mail could not be queued: %r", error)
            raise TransientError(_("Terrain could not send the e-mail: it will try again later.")) from error
        return RemotePost(remote_id=message_id.strip("<>"))

    def _find(self, account: AccountData, message_id: str) -> ParsedMessage:
        imap = self._open(account)
        try:
            wanted = f"<{message_id.strip('<>')}>"
            data = self._call(imap, lambda: imap.uid("SEARCH", "HEADER", "Message-ID", _quoted(wanted)))
            uids = [int(w) for w in _text(data).split() if w.isdigit()]
            raw = _fetch_one(self, imap, uids[-1]) if uids else None
        finally:
            _close(imap)
        if raw is None:
            raise PermanentError(_("The message to answer is no longer in the mailbox."))
        return email.message_from_bytes(raw, policy=email.policy.default)


def tls_context() -> ssl.SSLContext:
    """The TLS settings of every connection to a mail server, made anew for each.

    Python's secure defaults: the system's trusted authorities, the certificate required and
    checked against the server's name, TLS 1.2 at least. Nothing in the settings can weaken
    it. It is the tests' one seam: they replace this function by one that also trusts the
    authority they make at test time (``trustme``), so that implicit TLS, STARTTLS and an
    untrusted certificate are tried for real against the local server
    (``terrain/networks/tests/test_inbox_imap_tls.py``).
    """
    return ssl.create_default_context()


def _start_tls(imap: imaplib.IMAP4) -> None:
    """Upgrade the connection with STARTTLS (RFC 3501, section 6.2.1), or refuse to go on.

    A server that does not offer STARTTLS, or refuses it, gets no LOGIN: falling back to
    plain text would send the password in clear to whoever stripped the offer on the way.
    """
    refused = PermanentError(
        _(
            "The mail server does not offer STARTTLS on this port: Terrain never sends the password "
            "in clear. Choose TLS (usually port 993), or check the port with the mail provider."
        )
    )
    if "STARTTLS" not in imap.capabilities:
        raise refused
    try:
        imap.starttls(ssl_context=tls_context())
    except imaplib.IMAP4.abort:
        raise  # the connection was lost: transient, like any other
    except imaplib.IMAP4.error as error:
        raise refused from error


def _shut(imap: imaplib.IMAP4 | None) -> None:
    """Close a connection that never logged in (nothing to say to the server)."""
    if imap is not None:
        with contextlib.suppress(Exception):
            imap.shutdown()


def _check_host(host: str, port: int) -> bool:
    """Refuse a server Terrain may not reach; returns whether it is on loopback."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TransientError(refusal_message()) from None
    addresses = {info[4][0] for info in found}
    if not addresses or not all(address_allowed(a, host=host, port=port) for a in addresses):
        raise PermanentError(refusal_message())
    return all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addresses)


def _close(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except Exception:  # closing a connection that may be gone already
        with contextlib.suppress(Exception):
            imap.shutdown()


def _uidvalidity(imap: imaplib.IMAP4) -> str:
    _typ, data = imap.response("UIDVALIDITY")
    value = _text(data).strip()
    return value if value.isdigit() else "0"


def _fetch_one(connector: ImapConnector, imap: imaplib.IMAP4, uid: int) -> bytes | None:
    data = connector._call(imap, lambda: imap.uid("FETCH", str(uid), "(BODY.PEEK[])"))
    for part in data or []:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def _text(data: Any) -> str:
    if isinstance(data, list):
        return " ".join(_text(d) for d in data if d is not None)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(data or "")


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(text: str) -> str:
    return " ".join(text.split())[:250]


def _inbound_mail(raw: bytes, *, uid: int, validity: str) -> InboundItem | None:
    """An inbox item from a message (None for one too malformed to show)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender = getaddresses([str(message.get("From") or "")])
        subject = _one_line(str(message.get("Subject") or ""))
        message_id = str(message.get("Message-ID") or "").strip().strip("<>")
        in_reply_to = str(message.get("In-Reply-To") or "").strip().split()
        date = message.get("Date")
    except Exception:  # a message the parser cannot read is skipped, not fatal
        logger.info("An unreadable e-mail was skipped (UID %s)", uid)
        return None
    if not sender or not sender[0][1] or not message_id:
        return None
    try:
        created = parsedate_to_datetime(str(date)) if date else datetime.now(UTC)
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
    except (TypeError, ValueError):
        created = datetime.now(UTC)
    body = _body(message)
    parent = in_reply_to[0].strip("<>") if in_reply_to else ""
    name, address = sender[0]
    return InboundItem(
        remote_id=message_id,
        kind="message",
        text=f"{subject}\n\n{body}".strip() if subject else body,
        created_at=created,
        author_handle=address,
        author_name=name,
        author_url="",
        parent=parent,
        reply_to=message_id,
        parent_is_ours=parent.startswith("terrain."),
    )


def _body(message: ParsedMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (KeyError, LookupError, ValueError, AssertionError):
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return content.strip()[:MAX_BODY]


class _TextOf(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}
    SKIP = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line).strip()
