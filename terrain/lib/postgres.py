"""PostgreSQL connections: dates with time zone read by psycopg's compiled code.

Django registers its own loader for ``timestamptz`` values
(``django.db.backends.postgresql.psycopg_any.BaseTzLoader``): a subclass of
psycopg's pure-Python loader, which parses each value with a regular
expression and Python arithmetic, then sets the connection's time zone. A feed
page reads a hundred or more of these dates (activities, posts, comments); in
Python they took about 6 % of its time. psycopg's compiled loader (from
``psycopg[binary]``) cannot be subclassed, so :class:`UtcLoader` hands each value
to an instance of it.

The compiled loader gives a date in the time zone of the connection's
``TimeZone`` parameter: ``datetime.timezone.utc`` when it is UTC, which is what
Django sets on its connections with ``USE_TZ`` (and what its own loader gives).
Anywhere else (another ``TIME_ZONE`` in the database's settings, a server that
disagrees) the loader falls back to Django's, value for value the same dates.
"""

from __future__ import annotations

import datetime

from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.backends.signals import connection_created
from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format

UTC = datetime.UTC


class UtcLoader(Loader):
    """``timestamptz`` values as aware dates in UTC, parsed by psycopg's compiled loader."""

    # Read by Django's ``DatabaseWrapper.create_cursor``: it registers a loader of its own on
    # a cursor only when the connection's loader has another time zone than the database's.
    timezone = UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        connection = context.connection if context is not None else None
        if connection is not None and connection.pgconn.parameter_status(b"TimeZone") == b"UTC":
            # The class psycopg registered itself for this type: compiled with psycopg[binary].
            loader = adapters.get_loader(oid, Format.TEXT)(oid, context)
        else:
            loader = _DjangoUtcLoader(oid, context)
        # The bound method itself, in the instance: psycopg calls it for each value with
        # no Python frame of ours in between.
        self.load = loader.load

    def load(self, data):  # shadowed in each instance by the chosen loader's own method
        raise NotImplementedError


class _DjangoUtcLoader(BaseTzLoader):
    timezone = UTC


def use_compiled_dates(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection whose dates Django reads in UTC: :class:`UtcLoader`."""
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", UtcLoader)


def connect() -> None:
    connection_created.connect(use_compiled_dates, dispatch_uid="terrain.lib.postgres.use_compiled_dates")
