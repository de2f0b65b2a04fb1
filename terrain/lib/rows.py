"""Model instances from one plain SQL query with joins: ``select_related`` without building the query.

On the feed's hot reads, the ORM spends longer compiling a query with four or
five joins than the database takes to run it. Here the columns of each joined
model are listed once per connection, in the order of its concrete fields, and
each row is cut into instances the way the ORM does it (``Model.from_db``,
after the same database converters: SQLite's text dates become aware
datetimes), so templates and code get the usual objects. For a model whose
construction does nothing but store its values (no ``__init__`` or ``from_db``
of its own, no ``pre_init``/``post_init`` receivers, no field whose setter does
more than store the value), the values go straight into the instance's
``__dict__``: the same instance, in a third of the time.

    select = joined(connection, Table(Activity, "a"), Table(User, "actor"))
    cursor.execute(f"SELECT {select.columns} FROM feed_activity a LEFT JOIN accounts_user actor ON …")
    for activity, actor in select.instances(cursor.fetchall()):
        ...

A model on the far side of a LEFT JOIN that found no row comes out as None; a row met
twice (the same person as actor and author) is one shared instance. ``Table(..., omit=...)``
leaves out columns a page never shows (a password hash, dates of sign-in): fewer values to
load and convert, deferred on the instances.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init


@dataclass(frozen=True)
class Table:
    model: type[Model]
    alias: str
    # Fields not read (their attnames): deferred on the instances, as ``QuerySet.defer`` leaves
    # them; reading one costs a query, so leave out only what the caller's pages never show.
    omit: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    start: int
    end: int
    pk_index: int
    converters: tuple[tuple[int, tuple, object], ...]
    field_names: frozenset[str] | None  # None: every concrete field
    attnames: tuple[str, ...] | None  # the fields read, in order, when their values can be stored as they are


# Setters that, on an instance being built, only store the value in ``__dict__``
# (a foreign key's id, a file's name; an image's dimensions are updated only over a previous file).
_STORING_SETTERS = (ForeignKeyDeferredAttribute, FileDescriptor)


def _stored_as_is(model: type[Model], fields) -> bool:
    """Whether ``Model.from_db`` would only store these values: nothing else to run."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    for field in fields:
        descriptor = inspect.getattr_static(model, field.attname, None)
        if hasattr(type(descriptor), "__set__") and not isinstance(descriptor, _STORING_SETTERS):
            return False
    return True


class Joined:
    """The select list of ``tables`` (``columns``) and the instances of each row."""

    def __init__(self, connection, tables: Sequence[Table]):
        quote = connection.ops.quote_name
        columns = []
        parts = []
        for table in tables:
            fields = [f for f in table.model._meta.concrete_fields if f.attname not in table.omit]
            if table.model._meta.pk not in fields:
                raise ValueError(f"{table.model.__name__}: the primary key cannot be omitted")
            converters = []
            for index, field in enumerate(fields):
                column = field.get_col(table.alias)
                convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if convs:
                    converters.append((index, tuple(convs), column))
            start = len(columns)
            columns.extend(f"{quote(table.alias)}.{quote(field.column)}" for field in fields)
            pk_index = list(fields).index(table.model._meta.pk)
            names = frozenset(f.attname for f in fields) if table.omit else None
            attnames = tuple(f.attname for f in fields) if _stored_as_is(table.model, fields) else None
            parts.append(_Part(table.model, start, len(columns), pk_index, tuple(converters), names, attnames))
        self.columns = ", ".join(columns)
        self.width = len(columns)  # further columns of a row are the caller's
        self._parts = tuple(parts)
        self._connection = weakref.ref(connection)

    def instances(self, rows: Iterable[Sequence]) -> list[tuple[Model | None, ...]]:
        """One tuple of instances per row. A row of a model met again in these rows (the author of
        a post who is also its activity's actor, the cooperative of several activities) is the
        same instance, built once: treat them as read-only."""
        connection = self._connection()
        db = connection.alias
        made: dict[tuple[type[Model], object], Model] = {}
        result = []
        for row in rows:
            objects = []
            for part in self._parts:
                pk = row[part.start + part.pk_index]
                if pk is None:
                    objects.append(None)
                    continue
                known = made.get((part.model, pk))
                if known is not None:
                    objects.append(known)
                    continue
                values = list(row[part.start : part.end])
                for index, convs, column in part.converters:
                    value = values[index]
                    for converter in convs:
                        value = converter(value, column, connection)
                    values[index] = value
                if part.attnames is None:
                    instance = part.model.from_db(db, part.field_names, values)
                else:
                    # What ``from_db`` leaves, without its calls: the values, and the state of a saved row.
                    instance = part.model.__new__(part.model)
                    state = ModelState()
                    state.adding = False
                    state.db = db
                    attributes = instance.__dict__
                    attributes.update(zip(part.attnames, values, strict=True))
                    attributes["_state"] = state
                made[part.model, pk] = instance
                objects.append(instance)
            result.append(tuple(objects))
        return result


# Converters are bound to one connection's operations: a select list per connection (one per
# thread), kept on the connection itself. Keyed by the connection in a module-level mapping, even a
# weak one, the converters (bound to ``connection.ops``, which holds the connection) kept every
# connection alive: the development server opens one per thread, and their files stayed open.
# On the connection, the select lists go with it.
_ATTRIBUTE = "_terrain_joined"


def joined(connection, *tables: Table) -> Joined:
    """The ``Joined`` of ``tables`` on ``connection`` (this thread's), built once."""
    connection = connections[connection.alias]  # ``django.db.connection`` is a proxy shared by every thread
    try:
        per_connection = connection.__dict__[_ATTRIBUTE]
    except KeyError:
        per_connection = connection.__dict__[_ATTRIBUTE] = {}
    found = per_connection.get(tables)
    if found is None:
        found = per_connection[tables] = Joined(connection, tables)
    return found
