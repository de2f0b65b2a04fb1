"""The full-text index over ``SearchDocument``: one function per database for each operation.

- **SQLite**: an FTS5 table ``search_fts`` (migration 0002) whose rowid is the document's id,
  holding the Snowball stems of the title and body (``search.analysis``; bm25 weighs the title
  10 times the body) and an ``access`` column of tokens ``c<cooperative>k<kind>``. The MATCH
  itself asks for the viewer's tokens, so a common word is looked up inside the index among
  the viewer's cooperatives only, never over the whole table. A narrow table ``search_scope``
  (migration 0003) repeats each document's date and scope token, for members of many
  cooperatives (``_sqlite_search``).
- **PostgreSQL**: a ``search_vector`` tsvector column on ``search_searchdocument`` (with a GIN
  index, migration 0002), set here to ``setweight(to_tsvector('french', title), 'A') ||
  setweight(to_tsvector('french', body), 'B')`` over the folded words, queried with a tsquery
  built from the parsed words and ranked with ``ts_rank_cd``; for members of many cooperatives
  and common words, first among the newest documents in reach (``_recent_window``).

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
# match's scope is checked instead (see ``_sqlite_search``), and PostgreSQL may look at the
# newest documents in reach first (``_recent_window``).
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
            cursor.execute(f"DELETE FROM search_scope WHERE id IN ({_ints(ids)})")  # noqa: S608


def prune() -> int:
    """Drop the index entries whose document is gone (SQLite: the FTS table has no foreign key)."""
    if _vendor() != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchdocument)")
        pruned = cursor.rowcount
        cursor.execute("DELETE FROM search_scope WHERE id NOT IN (SELECT id FROM search_searchdocument)")
        return pruned


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
        cursor.execute(f"DELETE FROM search_scope WHERE id IN ({_ints(r.id for r in rows)})")  # noqa: S608
        cursor.executemany(
            "INSERT INTO search_scope (id, created, scope) VALUES (%s, %s, %s)",
            [(r.id, _epoch(r.created_at), access_token(r.cooperative_id, r.kind)) for r in rows],
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
    source, row = "search_fts", "search_fts"
    if scopes is None or cooperatives <= MATCH_COOPERATIVES:
        match = fts5_expression(query, scopes, all_kinds=[k.key for k in kinds()])
        where, params = "search_fts MATCH %s", [match]
    else:
        # A member of many cooperatives: one token each in the MATCH would cost a seek in each of
        # their lists per match; the words alone are matched, the scope of each match is checked,
        # in the narrow ``search_scope`` table (migration 0003: the FTS table's own rows hold
        # the stems too, a page or more each, read per match).
        allowed = sorted({access_token(c, k) for s in scopes for c in s.cooperative_ids for k in s.kinds})
        source, row = "search_fts JOIN search_scope s ON s.id = search_fts.rowid", "s"
        where = f"search_fts MATCH %s AND s.scope IN ({', '.join(['%s'] * len(allowed))})"
        params = [fts5_expression(query, None), *allowed]
    if since is not None:
        where += f" AND {row}.created >= %s"
        params.append(_epoch(since))
    if until is not None:
        where += f" AND {row}.created < %s"
        params.append(_epoch(until))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, count(*) OVER () FROM ("  # noqa: S608
            "SELECT search_fts.rowid AS rowid, bm25(search_fts, 0.0, 0.0, 10.0, 1.0, 0.0) AS score, "
            f"{row}.created AS created FROM {source} "
            f"WHERE {where} ORDER BY search_fts.rowid DESC LIMIT {CANDIDATES + 1}"
            ") ORDER BY score, created DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        found = cursor.fetchall()
        ids = [row[0] for row in found]
        count_sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT {COUNT_LIMIT + 1})"  # noqa: S608
        total = _total(cursor, found, offset=offset, count_sql=count_sql, params=params)
    return Hits(total=total, ids=ids)


def _total(cursor, found: list[tuple], *, offset: int, count_sql: str, params: list) -> int:
    """How many documents match: a page's rows carry it (``count(*) OVER ()``); an empty first
    page says none; only an empty page past the first asks ``count_sql``."""
    if found:
        return found[0][1]
    if not offset:
        return 0
    cursor.execute(count_sql, params)
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
    with connection.cursor() as cursor:
        window = _recent_window(cursor, query, scopes)
        if window:
            # The newest documents in reach first (by primary key, access checked before the
            # words), then the words on those only: see ``_recent_window``.
            cursor.execute(
                "SELECT id, count(*) OVER () FROM ("  # noqa: S608
                "SELECT r.id, ts_rank_cd(r.search_vector, q.q) AS score, r.created_at FROM ("
                "SELECT d.id, d.search_vector, d.created_at FROM search_searchdocument d "
                f"WHERE {scope_sql}{dates_sql} ORDER BY d.id DESC LIMIT {window:d}"
                f") AS r, to_tsquery('french', %s) AS q (q) WHERE r.search_vector @@ q.q "
                f"ORDER BY r.id DESC LIMIT {CANDIDATES + 1}"
                ") AS candidates ORDER BY score DESC, created_at DESC LIMIT %s OFFSET %s",
                [*scope_params, *dates_params, tsquery_text(query), limit, offset],
            )
            found = cursor.fetchall()
            if found and found[0][1] > CANDIDATES:
                # All the candidates were in the window: the same page as the query below.
                return Hits(total=found[0][1], ids=[row[0] for row in found])
        where = f"d.search_vector @@ q.q AND {scope_sql}{dates_sql}"
        params = [tsquery_text(query), *scope_params, *dates_params]
        source = "FROM search_searchdocument d, to_tsquery('french', %s) AS q (q)"
        cursor.execute(
            "SELECT id, count(*) OVER () FROM ("  # noqa: S608
            f"SELECT d.id, ts_rank_cd(d.search_vector, q.q) AS score, d.created_at {source} "
            f"WHERE {where} ORDER BY d.id DESC LIMIT {CANDIDATES + 1}"
            ") AS candidates ORDER BY score DESC, created_at DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        found = cursor.fetchall()
        ids = [row[0] for row in found]
        count_sql = f"SELECT count(*) FROM (SELECT 1 {source} WHERE {where} LIMIT {COUNT_LIMIT + 1}) AS found"  # noqa: S608
        total = _total(cursor, found, offset=offset, count_sql=count_sql, params=params)
    return Hits(total=total, ids=ids)


# A member of many cooperatives sees a large share of the documents. For a common query,
# PostgreSQL reads the newest rows by primary key and tests the words before the access on each
# (it evaluates ``@@`` first, whatever the order written), unpacking the tsvector of thousands of
# rows the reader may not see. Instead, when the database's statistics say the query is common,
# the words are tested on the WINDOW newest documents in reach only, WINDOW sized to hold the
# candidates with a margin; if it does not hold them all, the ordinary query runs.
WINDOW_MARGIN = 1.5
MAX_WINDOW = 20_000


def _recent_window(cursor, query: Query, scopes: Sequence[Scope] | None) -> int:
    """How many of the newest documents in reach to test the words on (0: not worth it)."""
    if scopes is None or sum(len(s.cooperative_ids) for s in scopes) <= MATCH_COOPERATIVES:
        return 0
    share = frequency(cursor, query)
    if share <= 0:
        return 0
    window = int(WINDOW_MARGIN * (CANDIDATES + 1) / share)
    return window if window <= MAX_WINDOW else 0


def frequency(cursor, query: Query) -> float:
    """The estimated share of the documents matching ``query``, from the statistics PostgreSQL
    keeps on the tsvector column (its most common lexemes and their frequencies, as the planner
    uses them): the words of a phrase as often as its rarest word, 4 in 5 times together;
    separate terms independent. 0 when a word is not among the most common."""
    terms = [" ".join(term) for term in query.required]
    cursor.execute(
        "SELECT t.n, min(coalesce(x.f, 0)) FROM unnest(%s::text[]) WITH ORDINALITY AS t (words, n) "
        "CROSS JOIN unnest(tsvector_to_array(to_tsvector('french', t.words))) AS l (lexeme) "
        "LEFT JOIN (SELECT e, f FROM pg_stats s, "
        "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m (e, f) "
        "WHERE s.schemaname = current_schema() AND s.tablename = 'search_searchdocument' "
        "AND s.attname = 'search_vector') AS x ON x.e = l.lexeme GROUP BY t.n",
        [terms],
    )
    found = dict(cursor.fetchall())
    share = 1.0
    for n, term in enumerate(query.required, start=1):
        term_share = found.get(n)
        if term_share is None:  # only stop words: as common as can be
            continue
        share *= float(term_share or 0) * (0.8 if len(term) > 1 else 1.0)
    return share
