"""Signed-in requests on new connections leave no database connection behind (lib.rows' cache).

The development server (``manage.py runserver``) serves each HTTP connection in a thread of its
own, and each thread opens its own database connection, kept open (CONN_MAX_AGE) until the thread's
locals are collected. Every signed-in request reads its member through ``lib.rows.joined``: its
cache must not keep those connections alive, or their files pile up ("Too many open files").
"""

from __future__ import annotations

import gc
import http.client
import os
import socketserver
import threading

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from terrain.accounts.backends import MemberBackend
from terrain.tests.factories import make_user

REQUESTS = 20


def _live_connections() -> int:
    gc.collect()
    return sum(isinstance(item, BaseDatabaseWrapper) for item in gc.get_objects())


def _open_files() -> int:
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _DevelopmentServer(socketserver.ThreadingMixIn, WSGIServer):
    """The server ``runserver`` builds (django.core.servers.basehttp.run): a thread per connection."""

    daemon_threads = True


@pytest.fixture
def development_server():
    server = _DevelopmentServer(("127.0.0.1", 0), _Quiet)
    server.set_app(get_internal_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db(transaction=True)
def test_signed_in_requests_on_new_connections_leave_no_database_connection(development_server):
    member = make_user("Maïa")
    client = Client()
    client.force_login(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def request() -> int:
        conn = http.client.HTTPConnection("127.0.0.1", development_server, timeout=30)
        try:
            conn.request("GET", "/", headers={"Cookie": cookie, "Connection": "close"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    assert request() == 200  # warm: the first request loads what every process keeps
    before_connections, before_files = _live_connections(), _open_files()
    for _ in range(REQUESTS):
        assert request() == 200  # signed in (the page of a signed-out visitor redirects)
    # Each request's thread has ended; a connection it kept open would be here still.
    assert _live_connections() - before_connections <= 1
    assert _open_files() - before_files <= 2


@pytest.mark.django_db(transaction=True)
def test_members_read_in_threads_leave_no_database_connection():
    member = make_user("Maïa")
    seen = []

    def read() -> None:
        try:
            seen.append(MemberBackend().get_user(member.pk))
        finally:
            connections.close_all()

    before = _live_connections()
    for _ in range(REQUESTS):
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert seen == [member] * REQUESTS
    assert _live_connections() - before <= 1
