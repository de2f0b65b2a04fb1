"""Writing millions of rows fast, on SQLite and PostgreSQL.

The dataset generator computes every row itself (ids included) and hands
plain tuples to ``BulkLoader.insert``: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL. Columns not given are filled with the model field's default, so a
row is what the ORM would have written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, transaction

from terrain.lib.codes import ALPHABET, CODE_LENGTH

# Bytes 0..247 map evenly onto the 31 letters (248 = 8 x 31); 248..255 are
# dropped, so every letter is equally likely, as with ``new_code``.
_CODE_TABLE = bytes(ord(ALPHABET[b % len(ALPHABET)]) if b < 248 else 0 for b in range(256))
_CODE_DROP = bytes(range(248, 256))


def new_codes(count: int) -> list[str]:
    """``count`` random codes in the format of ``terrain.lib.codes.new_code``, in bulk."""
    need = count * CODE_LENGTH
    chars = ""
    while len(chars) < need:
        raw = os.urandom(int((need - len(chars)) * 1.05) + 64)
        chars += raw.translate(_CODE_TABLE, _CODE_DROP).decode("ascii")
    return [chars[i : i + CODE_LENGTH] for i in range(0, need, CODE_LENGTH)]


class BulkLoader:
    """Insert rows in large batches through the default connection."""

    def __init__(self, *, batch_size: int = 20_000, out=None) -> None:
        self.vendor = connection.vendor
        self.batch_size = batch_size
        self.out = out
        self.counts: dict[str, int] = {}
        self._started = time.monotonic()
        self._phase_started = self._started

    # --- values ---------------------------------------------------------------
    def dt(self, epoch: float | None):
        """A timestamp (seconds since 1970, UTC) as the database column expects it."""
        if epoch is None:
            return None
        value = datetime.fromtimestamp(epoch, UTC)
        if self.vendor == "sqlite":
            # What Django's SQLite backend stores: naive UTC, ISO with a space.
            return value.replace(tzinfo=None).isoformat(" ")
        return value

    def date(self, epoch: float):
        value = datetime.fromtimestamp(epoch, UTC).date()
        return value.isoformat() if self.vendor == "sqlite" else value

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 (table name from the model)
            (value,) = cursor.fetchone()
        return (value or 0) + 1

    # --- writing --------------------------------------------------------------
    def insert(self, model, columns: list[str], rows: Iterable[tuple]) -> int:
        """Insert ``rows`` (tuples in the order of ``columns``); other columns get their default."""
        table = model._meta.db_table
        constants = self._constant_columns(model, columns)
        all_columns = columns + [name for name, _value in constants]
        tail = tuple(value for _name, value in constants)
        rows = (row + tail for row in rows) if tail else iter(rows)
        total = 0
        if self.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(all_columns)}) FROM STDIN"
            with transaction.atomic(), connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        total += 1
        else:
            marks = ", ".join("?" for _ in all_columns)
            sql = f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES ({marks})"  # noqa: S608
            raw = connection.connection
            for batch in _batches(rows, self.batch_size * 5):
                with transaction.atomic():
                    raw.executemany(sql, batch)
                total += len(batch)
        self.counts[table] = self.counts.get(table, 0) + total
        return total

    def _constant_columns(self, model, given: list[str]) -> list[tuple[str, object]]:
        constants = []
        for field in model._meta.local_concrete_fields:
            if field.column in given or (field.primary_key and field.get_internal_type().endswith("AutoField")):
                continue
            if field.has_default() and callable(field.default):
                raise ValueError(f"{model.__name__}.{field.name} has a computed default: give its value")
            value = field.get_default()  # the default, "" for text, or None
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            constants.append((field.column, field.get_db_prep_save(value, connection)))
        return constants

    # --- around the load -----------------------------------------------------
    def prepare(self) -> None:
        """Make the database fast to write for the load (durability does not matter for a rebuildable dataset)."""
        connection.ensure_connection()
        if connection.in_atomic_block:  # inside a test: the pragmas cannot change there
            return
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("PRAGMA journal_mode=MEMORY")
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA foreign_keys=OFF")
                cursor.execute("PRAGMA cache_size=-1000000")
                cursor.execute("PRAGMA temp_store=MEMORY")
            elif self.vendor == "postgresql":
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    # Skips the foreign-key triggers during the load: the generator
                    # writes consistent rows, and checking 10 million keys doubles the time.
                    cursor.execute("SET session_replication_role = replica")

    def finish(self, models: list) -> None:
        """Give the database back its normal settings, reset sequences, refresh planner statistics."""
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA journal_mode=WAL")
            elif self.vendor == "postgresql":
                cursor.execute("SET synchronous_commit = on")
                cursor.execute("SET session_replication_role = origin")
                cursor.execute("VACUUM ANALYZE")

    # --- progress ---------------------------------------------------------------
    def phase(self, name: str, detail: str = "") -> None:
        now = time.monotonic()
        if self.out is not None:
            self.out.write(
                f"  {name:<28} {now - self._phase_started:7.1f} s   (total {now - self._started:7.1f} s)  {detail}"
            )
            self.out.flush()
        self._phase_started = now

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started


def _batches(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while True:
        batch = list(islice(rows, size))
        if not batch:
            return
        yield batch
