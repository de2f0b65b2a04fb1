"""The outbound guard (terrain/lib/outbound.py): what an address typed by a member may reach."""

from __future__ import annotations

import pytest
import requests

from terrain.lib.outbound import UnsafeAddress, check_url, guarded_session, is_public
from terrain.networks.base import PermanentError
from terrain.networks.fakes.server import FakeServer, Request, Response, route
from terrain.networks.mastodon.connector import MastodonConnector


class Hello(FakeServer):
    name = "hello"

    @route("GET", r"/")
    def hello(self, request: Request) -> Response:
        return Response(200, json={"hello": "world"})


class Bouncer(FakeServer):
    """Redirects every request to ``target`` (a server that lets a redirect reach another one)."""

    name = "bouncer"
    target = ""

    @route("GET", r"/")
    def bounce(self, request: Request) -> Response:
        return Response(302, headers={"Location": self.target})


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1", "0.0.0.0", "::1",  # noqa: S104
     "fe80::1", "fc00::1", "::ffff:127.0.0.1", "100.64.0.1", "not an address"],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(address):
    assert not is_public(address)


def test_public_addresses_are_public():
    assert is_public("193.51.24.1") and is_public("2001:4860:4860::8888")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/", "http://localhost/", "https://[::1]/", "http://169.254.169.254/latest/meta-data/",
     "http://10.0.0.1/", "ftp://127.0.0.1/", "file:///etc/passwd", "http://user:pass@example.org/",
     "https://nowhere.invalid/", "http://127.0.0.1:99999/"],
)  # fmt: skip
def test_refused_outside_the_allow_list(url, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(UnsafeAddress) as caught:
        check_url(url)
    assert caught.value.message == UnsafeAddress().message  # one message, whatever the reason


def test_the_allow_list_names_a_host_or_a_host_and_port(settings):
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1:8765"]
    check_url("http://127.0.0.1:8765/")
    with pytest.raises(UnsafeAddress):
        check_url("http://127.0.0.1:8766/")
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    check_url("http://127.0.0.1:8766/")
    settings.OUTBOUND_ALLOWED_HOSTS = ["[::1]:8080"]
    check_url("http://[::1]:8080/")


def _allowed_in(**env: str) -> str:
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "OUTBOUND_ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import terrain.settings as s; print(s.OUTBOUND_ALLOWED_HOSTS)"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_production_allows_nothing_private_debug_the_loopback_and_the_setting_decides(tmp_path):
    key = "k" * 30 + "Zq8#Lm2@Rt5!Wx9$"
    assert _allowed_in(DEBUG="0", SECRET_KEY=key) == "[]"
    assert "127.0.0.1" in _allowed_in(DEBUG="1", TERRAIN_VAR_DIR=str(tmp_path))
    assert _allowed_in(DEBUG="1", TERRAIN_VAR_DIR=str(tmp_path), OUTBOUND_ALLOWED_HOSTS="127.0.0.1:9001") == (
        "['127.0.0.1:9001']"
    )


def test_every_connection_of_a_guarded_session_is_checked(settings):
    with Hello() as hello:
        settings.OUTBOUND_ALLOWED_HOSTS = []
        with pytest.raises(requests.ConnectionError):
            guarded_session().get(hello.base_url + "/", timeout=2)
        assert hello.calls("GET", "/") == []
        settings.OUTBOUND_ALLOWED_HOSTS = [hello.base_url.split("//")[1]]
        assert guarded_session().get(hello.base_url + "/", timeout=2).json() == {"hello": "world"}


def test_a_redirect_cannot_reach_what_the_address_could_not(settings):
    with Hello() as inside, Bouncer() as bouncer:
        bouncer.target = inside.base_url + "/"
        settings.OUTBOUND_ALLOWED_HOSTS = [bouncer.base_url.split("//")[1]]  # the bouncer alone
        with pytest.raises(requests.ConnectionError):
            guarded_session().get(bouncer.base_url + "/", timeout=2)
        assert inside.calls("GET", "/") == []


def test_redirects_are_bounded(settings):
    with Bouncer() as bouncer:
        bouncer.target = bouncer.base_url + "/"
        settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
        with pytest.raises(requests.TooManyRedirects):
            guarded_session().get(bouncer.base_url + "/", timeout=2)
        assert len(bouncer.calls("GET", "/")) <= 4


def test_mastodon_registers_only_at_an_allowed_address(settings, mastodon_server):
    connector = MastodonConnector()
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(PermanentError) as caught:
        connector.register_client(api_base=mastodon_server.base_url, redirect_uri="https://terrain.example/r")
    assert caught.value.message == UnsafeAddress().message
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    assert connector.register_client(api_base=mastodon_server.base_url, redirect_uri="https://terrain.example/r")


def test_a_server_that_drips_its_answer_is_given_up(settings, monkeypatch):
    """Each byte comes within the read timeout, the whole answer never does."""
    import socket
    import threading
    import time

    from terrain.lib import outbound

    monkeypatch.setattr(outbound, "MAX_SECONDS", 0.5)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def drip() -> None:
        conn, _address = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        try:
            for _ in range(40):
                conn.sendall(b" ")
                time.sleep(0.1)
        except OSError:
            pass
        conn.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        guarded_session().get(f"http://127.0.0.1:{port}/", timeout=1)
    assert time.monotonic() - started < 2
    listener.close()


def test_a_guarded_session_keeps_its_connection_alive(settings):
    with Hello() as hello:
        settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
        session = guarded_session()
        for _ in range(3):
            assert session.get(hello.base_url + "/", timeout=2).json() == {"hello": "world"}
        pools = session.get_adapter(hello.base_url + "/").poolmanager.pools
        assert [pool.num_connections for pool in pools._container.values()] == [1]
