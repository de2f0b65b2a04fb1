"""The full-text index over ``SearchDocument``: one function per database for each operation.

- **SQLite**: an FTS5 table ``search_fts`` (migration 0002) whose rowid is the document's id,
  holding the Snowball stems of the title and body (``search.analysis``; bm25 weighs the title
  10 times the body) and an ``access`` column of tokens ``c<cooperative>k<kind>``. The MATCH
  itself asks for the viewer's tokens, so a common word is looked up inside the index among
  the viewer's cooperatives only, never over the whole table.
- **PostgreSQL**: a ``search_vector`` tsvector column on ``search_searchdocument`` (with a GIN
  index, migration 0002), set here to ``setweight(to_tsvector('french', title), 'A') ||
  setweight(to_tsvector('french', body), 'B')`` over the folded words, queried with a tsquery
  built from the parsed words and ranked with ``ts_rank_cd``.

Both rank by relevance, then the newest first. Access is decided by the caller
(``search.selectors``) as *scopes*: pairs of (cooperative ids, kinds) the viewer may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from terrain.search.analysis import Query, stem, stems, words


@dataclass(frozen=True)
class Row:
    """What the index needs of one document."""

    id: int
    cooperative_id: int
    kind: str
    title: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Scope:
    """Documents of these kinds in these cooperatives."""

    cooperative_ids: tuple[int, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Hits:
    total: int
    ids: list[int]


# A query is ranked among its CANDIDATES most recent matches (in the order of the index: the
# order documents were indexed in): "more than 1,000 results" is all a reader needs to know, and
# ranking every document holding a very common word would cost in proportion to the whole index.
CANDIDATES = 1000
COUNT_LIMIT = CANDIDATES
# Up to this many cooperatives, SQLite's MATCH carries the viewer's access tokens; beyond, each
# match's scope is checked instead (see ``_sqlite_search``).
MATCH_COOPERATIVES = 24


def _vendor() -> str:
    return connection.vendor


def _ints(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


def access_token(cooperative_id: int, kind: str | None = None) -> str:
    """``c12``: anything in cooperative 12; ``c12kpost``: its posts. (Kind keys are lower-case
    letters and digits, ``registry.register`` checks.)"""
    return f"c{cooperative_id:d}k{kind}" if kind else f"c{cooperative_id:d}"


def access_tokens(cooperative_id: int, kind: str) -> str:
    """What the ``access`` column of a document holds: its cooperative, alone and with its kind."""
    return f"{access_token(cooperative_id)} {access_token(cooperative_id, kind)}"


# --- writing ------------------------------------------------------------------------------------


def index_rows(rows: Sequence[Row]) -> None:
    """(Re)write the index entries of ``rows`` (their ``SearchDocument`` rows exist)."""
    if rows:
        {"sqlite": _sqlite_index, "postgresql": _postgresql_index}[_vendor()](rows)


def remove_ids(ids: Sequence[int]) -> None:
    """Take the documents ``ids`` out of the index (PostgreSQL: the row's deletion does)."""
    if ids and _vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({_ints(ids)})")  # noqa: S608


def prune() -> int:
    """Drop the index entries whose document is gone (SQLite: the FTS table has no foreign key)."""
    if _vendor() != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchdocument)")
        return cursor.rowcount


def _sqlite_index(rows: Sequence[Row]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({_ints(r.id for r in rows)})")  # noqa: S608
        cursor.executemany(
            "INSERT INTO search_fts (rowid, created, scope, title, body, access) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    r.id,
                    _epoch(r.created_at),
                    access_token(r.cooperative_id, r.kind),
                    stems(r.title),
                    stems(r.body),
                    access_tokens(r.cooperative_id, r.kind),
                )
                for r in rows
            ],
        )


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


def _postgresql_index(rows: Sequence[Row]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE search_searchdocument SET search_vector = "
            "setweight(to_tsvector('french', %s), 'A') || setweight(to_tsvector('french', %s), 'B') WHERE id = %s",
            [(" ".join(words(r.title)), " ".join(words(r.body)), r.id) for r in rows],
        )


# --- reading ------------------------------------------------------------------------------------


def search(
    *,
    query: Query,
    scopes: Sequence[Scope] | None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Hits:
    """The ids of the documents matching ``query`` within ``scopes`` (None: everywhere, for the
    benchmark's floor only), best first, and how many there are (up to ``COUNT_LIMIT`` + 1)."""
    if not query or (scopes is not None and not any(s.cooperative_ids and s.kinds for s in scopes)):
        return Hits(total=0, ids=[])
    search_fn = {"sqlite": _sqlite_search, "postgresql": _postgresql_search}[_vendor()]
    return search_fn(query=query, scopes=scopes, since=since, until=until, limit=limit, offset=offset)


def _scope_sql(scopes: Sequence[Scope] | None, alias: str) -> tuple[str, list]:
    """The same access as a WHERE clause on the documents' rows."""
    if scopes is None:
        return "1 = 1", []
    parts, params = [], []
    for scope in scopes:
        if scope.cooperative_ids and scope.kinds:
            marks = ", ".join(["%s"] * len(scope.kinds))
            parts.append(f"({alias}.cooperative_id IN ({_ints(scope.cooperative_ids)}) AND {alias}.kind IN ({marks}))")
            params += list(scope.kinds)
    return "(" + " OR ".join(parts) + ")", params


def _dates_sql(since, until, alias: str) -> tuple[str, list]:
    sql, params = "", []
    if since is not None:
        sql += f" AND {alias}.created_at >= %s"
        params.append(since)
    if until is not None:
        sql += f" AND {alias}.created_at < %s"
        params.append(until)
    return sql, params


def fts5_expression(query: Query, scopes: Sequence[Scope] | None, all_kinds: Sequence[str] = ()) -> str:
    """The FTS5 MATCH expression: only stems (``[a-z0-9]+``) and access tokens, each quoted,
    so nothing a reader types reaches FTS5's syntax."""

    def quoted(term: Sequence[str]) -> str:
        return '"' + " ".join(stem(word) for word in term) + '"'

    text = "{title body} : (" + " AND ".join(quoted(term) for term in query.required) + ")"
    if query.excluded:
        text = f"({text}) NOT ({{title body}} : (" + " OR ".join(quoted([w]) for w in query.excluded) + "))"
    if scopes is not None:
        tokens: set[str] = set()
        for scope in scopes:
            if set(scope.kinds) >= set(all_kinds):
                # Every kind there: one token per cooperative, not one per kind.
                tokens.update(access_token(c) for c in scope.cooperative_ids)
            else:
                tokens.update(access_token(c, k) for c in scope.cooperative_ids for k in scope.kinds)
        text = f"({text}) AND (access : (" + " OR ".join(sorted(tokens)) + "))"
    return text


def _sqlite_search(*, query, scopes, since, until, limit, offset) -> Hits:
    from terrain.search.registry import kinds

    # The access is in the MATCH: the index is read for the viewer's cooperatives only, and no
    # documents' rows are read at all (the tiebreak's date is in the index table, first).
    cooperatives = sum(len(s.cooperative_ids) for s in scopes) if scopes is not None else 0
    if scopes is None or cooperatives <= MATCH_COOPERATIVES:
        match = fts5_expression(query, scopes, all_kinds=[k.key for k in kinds()])
        where, params = "search_fts MATCH %s", [match]
    else:
        # A member of many cooperatives: one token each in the MATCH would cost a seek in each of
        # their lists per match; the words alone are matched, the scope of each match is checked.
        allowed = sorted({access_token(c, k) for s in scopes for c in s.cooperative_ids for k in s.kinds})
        where = f"search_fts MATCH %s AND scope IN ({', '.join(['%s'] * len(allowed))})"
        params = [fts5_expression(query, None), *allowed]
    if since is not None:
        where += " AND created >= %s"
        params.append(_epoch(since))
    if until is not None:
        where += " AND created < %s"
        params.append(_epoch(until))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, count(*) OVER () FROM ("  # noqa: S608
            "SELECT rowid, bm25(search_fts, 0.0, 0.0, 10.0, 1.0, 0.0) AS score, created FROM search_fts "
            f"WHERE {where} ORDER BY rowid DESC LIMIT {CANDIDATES + 1}"
            ") ORDER BY score, created DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        found = cursor.fetchall()
        ids = [row[0] for row in found]
        total = (
            found[0][1]
            if found
            else _count(
                cursor,
                0,
                limit,
                offset,
                lambda: (
                    f"SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE {where} LIMIT {COUNT_LIMIT + 1})",  # noqa: S608
                    params,
                ),
            )
        )
    return Hits(total=total, ids=ids)


def _count(cursor, found: int, limit: int, offset: int, statement) -> int:
    # A page that is not full says the count by itself.
    if found < limit and (found or not offset):
        return offset + found
    sql, params = statement()
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def tsquery_text(query: Query) -> str:
    """The ``to_tsquery('french', …)`` text: only folded words (``[a-z0-9]+``) and operators."""
    terms = [" <-> ".join(term) for term in query.required]
    text = " & ".join(f"({t})" for t in terms)
    if query.excluded:
        text += " & !(" + " | ".join(query.excluded) + ")"
    return text


def _postgresql_search(*, query, scopes, since, until, limit, offset) -> Hits:
    scope_sql, scope_params = _scope_sql(scopes, "d")
    dates_sql, dates_params = _dates_sql(since, until, "d")
    where = f"d.search_vector @@ q.q AND {scope_sql}{dates_sql}"
    params = [tsquery_text(query), *scope_params, *dates_params]
    source = "FROM search_searchdocument d, to_tsquery('french', %s) AS q (q)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, count(*) OVER () FROM ("  # noqa: S608
            f"SELECT d.id, ts_rank_cd(d.search_vector, q.q) AS score, d.created_at {source} "
            f"WHERE {where} ORDER BY d.id DESC LIMIT {CANDIDATES + 1}"
            ") AS candidates ORDER BY score DESC, created_at DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        found = cursor.fetchall()
        ids = [row[0] for row in found]
        total = (
            found[0][1]
            if found
            else _count(
                cursor,
                0,
                limit,
                offset,
                lambda: (
                    f"SELECT count(*) FROM (SELECT 1 {source} WHERE {where} LIMIT {COUNT_LIMIT + 1}) AS found",  # noqa: S608
                    params,
                ),
            )
        )
    return Hits(total=total, ids=ids)
