"""Plain SQL whose text does not change with its values, on SQLite and PostgreSQL.

A statement sent again with the same text is not compiled again: Python's
``sqlite3`` keeps the last compiled statements of each connection, and psycopg
prepares on PostgreSQL a statement a connection runs often (settings:
``DB_PREPARE_THRESHOLD``), so the server stops parsing and planning it. A list
of ids written into the SQL (``IN (3, 7, 12)``) makes every call a new
statement; :func:`in_ids` passes the list as one parameter instead.

    where, params = in_ids(connection, "a.id", ids)
    cursor.execute(f"SELECT … FROM feed_activity a WHERE {where}", params)

Reads that do not depend on each other go to PostgreSQL together with
:func:`rows_together`: one round trip, however many statements.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence


def in_ids(connection, column: str, ids: Iterable[int]) -> tuple[str, list]:
    """``column IN (ids)`` as SQL with one placeholder, and its parameter.

    PostgreSQL gets ``column = ANY(%s::bigint[])`` (always that type, so the prepared
    statement is the same whatever the size of the ids); SQLite reads the ids from a
    JSON array (``json_each``). An empty list matches nothing.
    """
    return in_ids_sql(connection.vendor, column), [ids_param(connection, ids)]


def in_ids_sql(vendor: str, column: str, placeholder: str = "%s") -> str:
    """The SQL of ``in_ids`` for a database ``vendor``, its list of ids read from ``placeholder``
    (``%(name)s`` in a statement with named parameters, given ``ids_param``)."""
    if vendor == "postgresql":
        return f"{column} = ANY({placeholder}::bigint[])"
    return f"{column} IN (SELECT value FROM json_each({placeholder}))"  # noqa: S608 (a column name)


def ids_param(connection, ids: Iterable[int]) -> str:
    """A list of ids as one text parameter: an array literal that the SQL casts to
    ``bigint[]`` on PostgreSQL (``%s::bigint[]``), a JSON array on SQLite (read with
    ``json_each``). Written by ``str.join``: psycopg would dump a list value by value in
    Python, a cost on every feed page of a member of two hundred cooperatives."""
    values = ",".join(str(int(pk)) for pk in ids)
    if connection.vendor == "postgresql":
        return f"{{{values}}}"
    return f"[{values}]"


Statement = tuple[str, Sequence | Mapping]


def rows_together(connection, statements: Sequence[Statement]) -> list[list[tuple]]:
    """The rows of each ``(sql, params)`` statement, in order.

    On PostgreSQL the statements travel together and their results come back together
    (psycopg's pipeline mode): the page waits for the server once instead of once per
    statement, and the server is woken once. Each statement stays its own (prepared,
    counted by ``assertNumQueries``); an error in one raises as usual. SQLite runs in
    process, with no round trip to save: the statements run one after the other.
    """
    if connection.vendor != "postgresql" or len(statements) < 2:
        results = []
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        return results
    with contextlib.ExitStack() as stack:
        cursors = [stack.enter_context(connection.cursor()) for _ in statements]
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
