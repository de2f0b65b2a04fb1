"""``python -m terrain.demo.sandbox_server``: what ``make run`` starts accepts the demo's stored credentials."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from terrain.demo import sandbox
from terrain.demo.sandbox_server import MAILS
from terrain.demo.tests.test_sandbox import _free_ports
from terrain.networks.base import AccountData
from terrain.networks.registry import get_connector


def _wait(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def _wait_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((sandbox.HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


def _start(port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (our own module)
        [sys.executable, "-m", "terrain.demo.sandbox_server", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for account in sandbox.ACCOUNTS:
        if account.scheme == "http":
            _wait(sandbox.base_url(account, port=port) + "/")
        else:
            _wait_port(port + account.offset)
    return process


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.django_db
def test_every_start_accepts_the_demos_credentials_and_counts_its_followers(settings):
    port = _free_ports(len(sandbox.ACCOUNTS))
    settings.SANDBOX_PORT = port
    settings.INBOX_IMAP_PLAIN_LOOPBACK = True  # as under DEBUG (make run): the mailbox speaks plain IMAP
    for _start_number in range(2):  # a restart forgets everything but the seeded accounts
        process = _start(port)
        try:
            for account in sandbox.ACCOUNTS:
                data = AccountData(
                    api_base=sandbox.base_url(account),
                    secrets=sandbox.stored_secrets(account),
                    handle=account.handle,
                    remote_id=account.remote_id,
                )
                connector = get_connector(account.kind)
                info = connector.validate_credentials(data)
                assert info.followers == account.followers, account.kind
                if connector.can_publish:
                    assert sandbox.received(network=account.kind, api_base=data.api_base, handle=account.handle) == []
                else:  # the mailbox: its e-mails are waiting again
                    assert len(connector.fetch_inbound(data, "mail", "").items) == len(MAILS)
        finally:
            _stop(process)
