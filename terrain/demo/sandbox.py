"""The demo's local sandbox of the networks: what it holds, where it listens, what it received.

``make run`` starts ``python -m terrain.demo.sandbox_server`` (see ``scripts/run.py``): the
fakes the tests use (``terrain/networks/fakes``, mastodon-mock for Mastodon), each speaking
its network's real API on a loopback port, seeded with the accounts below. The demo
connects the hospital branch's accounts to them, so a demo message really goes out (to
this machine, never to the real network) and its statistics really come back. Its e-mail
address is a mailbox of the sandbox's IMAP server, where a few e-mails wait for the inbox to
read them (in plain IMAP on the loopback, which only ``INBOX_IMAP_PLAIN_LOOPBACK`` allows: on
under ``DEBUG``, as ``make run`` runs, never by default in production).

The fakes keep their state in memory: on every start they are seeded again with the same
credentials, so the demo's stored tokens keep working, and what they received before is gone.

This module imports no Django model at import time: the sandbox server reads it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.utils.html import strip_tags

HOST = "127.0.0.1"
#: The first port of the sandbox; each network listens on ``port + offset``.
DEFAULT_PORT = 8701
#: Where the fakes tell what they received (``FakeServer.received``).
RECEIVED_PATH = "/_fake/received"


@dataclass(frozen=True)
class SandboxAccount:
    """One network's account in the sandbox, as the demo stores it and the fake accepts it."""

    kind: str
    offset: int
    handle: str
    display_name: str
    secrets: dict[str, Any] = field(hash=False)
    remote_id: str = ""
    followers: int | None = 0  # None: the network counts no followers (an e-mail address)
    #: How its server is spoken to: an HTTP API, or IMAP (whose address the connector reads in the secrets).
    scheme: str = "http"


DISPLAY_NAME = "Section Hôpital Nord (bac à sable)"

#: Networks whose fake can serve the demo without an OAuth application of the instance.
ACCOUNTS: tuple[SandboxAccount, ...] = (
    SandboxAccount(
        kind="mastodon",
        offset=0,
        handle="@hopital_nord",
        display_name=DISPLAY_NAME,
        secrets={"access_token": "sandbox-hopital-nord-mastodon"},
        followers=36,
    ),
    SandboxAccount(
        kind="bluesky",
        offset=1,
        handle="hopital-nord.bsky.social",
        display_name=DISPLAY_NAME,
        secrets={"identifier": "hopital-nord.bsky.social", "app_password": "sand-box0-hopi-nord"},
        remote_id="did:plc:eb4999d3ae758353ef636efb",
        followers=97,
    ),
    SandboxAccount(
        kind="telegram",
        offset=2,
        handle="@hopital_nord",
        display_name=DISPLAY_NAME,
        secrets={"bot_token": "700000001:sandbox-hopital-nord-bot", "chat_id": "@hopital_nord"},
        remote_id="-1001000000001",
        followers=263,
    ),
    SandboxAccount(
        kind="facebook",
        offset=3,
        handle="sectionhopitalnord",
        display_name=DISPLAY_NAME,
        secrets={"access_token": "EAAPage-sandbox-hopital-nord", "page_id": "100000000777"},
        remote_id="100000000777",
        followers=412,
    ),
    SandboxAccount(
        kind="x",
        offset=4,
        handle="@hopital_nord",
        display_name=DISPLAY_NAME,
        # A token valid until 2100: X's refresh needs the instance's OAuth app, which a demo has not.
        secrets={
            "access_token": "sandbox-hopital-nord-x",
            "refresh_token": "sandbox-hopital-nord-x-refresh",
            "expires_at": 4102444800,
        },
        remote_id="1700000000000000777",
        followers=158,
    ),
    SandboxAccount(
        kind="imap",
        offset=5,
        handle="contact@hopital-nord.example",
        display_name=DISPLAY_NAME,
        secrets={
            "address": "contact@hopital-nord.example",
            "username": "contact@hopital-nord.example",
            "password": "sandbox-hopital-nord-imap",
            "security": "starttls",  # what a real mailbox would use; plain on the loopback under DEBUG
        },
        remote_id="contact@hopital-nord.example",
        followers=None,
        scheme="imap",
    ),
)


def first_port() -> int:
    """``SANDBOX_PORT`` from the settings (or the environment, for the server), else :data:`DEFAULT_PORT`."""
    try:
        from django.conf import settings

        value = getattr(settings, "SANDBOX_PORT", None)
    except Exception:
        value = None
    return int(value or os.environ.get("SANDBOX_PORT") or DEFAULT_PORT)


def base_url(account: SandboxAccount, *, port: int | None = None) -> str:
    return f"{account.scheme}://{HOST}:{(port or first_port()) + account.offset}"


def stored_secrets(account: SandboxAccount, *, port: int | None = None) -> dict[str, Any]:
    """The secrets the demo stores for ``account``: its credentials and, for a mailbox, where its server listens."""
    secrets = dict(account.secrets)
    if account.scheme == "imap":
        secrets.update(host=HOST, port=(port or first_port()) + account.offset)
    return secrets


def account_for(kind: str) -> SandboxAccount | None:
    return next((a for a in ACCOUNTS if a.kind == kind), None)


def is_sandbox_address(api_base: str) -> bool:
    """Whether ``api_base`` is one of the sandbox's servers (what the demo's accounts point at)."""
    try:
        parts = urlsplit(api_base)
    except ValueError:
        return False
    ports = {first_port() + a.offset for a in ACCOUNTS}
    return parts.hostname == HOST and parts.port in ports


@dataclass(frozen=True)
class Received:
    """A post as the sandbox holds it."""

    text: str
    at: datetime | None
    likes: int = 0
    reposts: int = 0


def received(*, network: str, api_base: str, handle: str, remote_id: str = "") -> list[Received] | None:
    """What the sandbox server at ``api_base`` holds for this account, newest first; None if it does not answer.

    Only a sandbox address is ever asked (loopback, one of the sandbox's ports).
    """
    if not is_sandbox_address(api_base):
        return None
    base = api_base.rstrip("/")
    try:
        if network == "mastodon":
            return _mastodon_received(base, handle)
        answer = httpx.get(base + RECEIVED_PATH, timeout=2)
        answer.raise_for_status()
        posts = answer.json().get("posts", [])
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None
    names = {handle.lstrip("@"), remote_id} - {""}
    return [
        Received(
            text=post.get("text", ""),
            at=_date(post.get("at")),
            likes=int(post.get("likeCount", 0)),
            reposts=int(post.get("repostCount", 0)),
        )
        for post in posts
        if str(post.get("account", "")).lstrip("@") in names
    ]


def _mastodon_received(base: str, handle: str) -> list[Received]:
    """mastodon-mock is read through Mastodon's own public API (an account's statuses)."""
    username = handle.lstrip("@").split("@", 1)[0]
    account = httpx.get(f"{base}/api/v1/accounts/lookup", params={"acct": username}, timeout=2)
    account.raise_for_status()
    statuses = httpx.get(f"{base}/api/v1/accounts/{account.json()['id']}/statuses", timeout=2)
    statuses.raise_for_status()
    return [
        Received(
            text=strip_tags(status.get("content", "")),
            at=_date(status.get("created_at")),
            likes=int(status.get("favourites_count", 0)),
            reposts=int(status.get("reblogs_count", 0)),
        )
        for status in statuses.json()
    ]


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
