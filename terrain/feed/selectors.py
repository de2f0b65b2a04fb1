"""Reading the unified activity feed.

The feed of a member is the union of
- broadcast activities (new posts, new members) of every cooperative they
  belong to and have not muted, and
- their own ``in_feed`` notifications (comments on posts they follow),
newest first, paged by activity id (keyset: no OFFSET, a deep page costs what
the first one does).

Cost is bounded by (number of cooperatives x page size) index probes, whatever
the size of those cooperatives: each cooperative contributes at most one page
through the partial index ``feed_activity_broadcast_idx``, and the pages are
merged, never a sort of every activity of those cooperatives. Only the
cooperatives active since the page's point in the feed are probed (their
``last_activity_id``), so a member of 200 cooperatives costs about what a
member of a few does. Statements keep the same text whatever the ids
(``lib.sql``): compiled or planned once per connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from terrain.accounts.models import PERSON_UNSHOWN, User
from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.items import kinds as item_kinds
from terrain.feed.items import targets_load
from terrain.feed.models import Activity, Notification
from terrain.lib.rows import Table, joined
from terrain.lib.sql import Statement, ids_param, in_ids, rows_together


@dataclass
class FeedPage:
    items: list[Activity]
    has_more: bool
    # Every membership of the viewer, by cooperative name, read with the page.
    memberships: list[FeedMembership] = field(default_factory=list)
    # The oldest and newest ids of the page: its cursors.
    last_id: int | None = None
    first_id: int | None = None


class FeedMembership(NamedTuple):
    """What the feed needs of one membership of the viewer, read in one query (a named tuple:
    a member of two hundred cooperatives builds two hundred on every feed page)."""

    id: int
    cooperative_id: int
    code: str
    name: str
    muted: bool
    role: str
    last_activity_id: int | None

    def as_membership(self, *, user_id: int) -> Membership:
        # An unsaved stand-in carrying the columns access checks read.
        return Membership(
            id=self.id, cooperative_id=self.cooperative_id, user_id=user_id, role=self.role, muted=self.muted
        )


# Each membership with its cooperative. On PostgreSQL the memberships come from their index
# alone (``cooperatives_membership_feed``), then each cooperative by its primary key: LATERAL
# with LIMIT keeps that plan. A plain join left the choice to the planner, which at two hundred
# rows sometimes scanned every cooperative of the instance instead (twenty thousand rows, ten
# times slower).
_WITH_COOPERATIVE = {
    "postgresql": (
        f"{Membership._meta.db_table} m CROSS JOIN LATERAL (SELECT code, name, last_activity_id"  # noqa: S608 (names only)
        f" FROM {Cooperative._meta.db_table} WHERE id = m.cooperative_id LIMIT 1) AS c"
    ),
    "sqlite": f"{Membership._meta.db_table} m JOIN {Cooperative._meta.db_table} c ON c.id = m.cooperative_id",
}
_MEMBERSHIPS = {
    vendor: (
        "SELECT m.id, m.cooperative_id, c.code, c.name, m.muted, m.role, c.last_activity_id"  # noqa: S608 (names only)
        f" FROM {join} WHERE m.user_id = %s ORDER BY c.name, m.id"
    )
    for vendor, join in _WITH_COOPERATIVE.items()
}


def _memberships_statement(user_id: int) -> Statement:
    """Every membership of the member ``user_id``, by cooperative name: the feed's sources,
    the filter's choices and the viewer's rights, from a single query (``_memberships``)."""
    # Plain SQL: a member of two hundred cooperatives reads two hundred rows on every
    # feed page, and the ORM spends ten times longer building them than the database.
    return _MEMBERSHIPS[connection.vendor], [int(user_id)]


def _memberships(rows: list[tuple]) -> list[FeedMembership]:
    return [
        FeedMembership(pk, coop_id, code, name, bool(muted), role, last)
        for pk, coop_id, code, name, muted, role, last in rows
    ]


def feed_sources(*, memberships: list[FeedMembership], cooperative=None) -> list[FeedMembership]:
    """The memberships whose cooperatives' broadcasts reach the feed (optionally one of them)."""
    if cooperative is not None:
        # Filtering on one cooperative shows it even when muted.
        return [m for m in memberships if m.cooperative_id == cooperative.pk]
    return [m for m in memberships if not m.muted]


def _newest_ids(
    sources: list[FeedMembership], first: list[tuple], *, before: int | None, after: int | None, want: int
) -> tuple[list[int], list[int]]:
    """The ``want`` newest broadcast ids of ``sources`` between ``after`` and ``before``, and
    the ``want`` newest personal ones, from the rows of the first statement (``_first_statement``)
    and, when they do not settle it, probes of the cooperatives it left.

    ``last_activity_id`` is never below a cooperative's newest broadcast id, so a
    cooperative can add nothing above ``min(last_activity_id, before - 1)``, its reach.
    The first statement probed the ``want`` cooperatives of highest reach, and every
    cooperative active since ``before`` (each may hold the id just below it). Once ``want``
    ids are found, a cooperative whose reach is not above the lowest of them is skipped: a
    member of 200 cooperatives costs one batch of probes on the first page, and on a deep
    page only the cooperatives active since that point. A mark left high by a deletion only
    costs another batch, never a missed item.
    """
    ceiling = None if before is None else before - 1

    def reach(membership: FeedMembership) -> int:
        last = membership.last_activity_id
        return last if ceiling is None else min(last, ceiling)

    found = sorted((pk for pk, kind in first if kind == _BROADCAST), reverse=True)
    personal = sorted((pk for pk, kind in first if kind == _PERSONAL), reverse=True)
    probed = {pk for pk, kind in first if kind == _PROBED}
    ranked = sorted(
        (
            m
            for m in sources
            if m.last_activity_id is not None
            and (after is None or m.last_activity_id > after)
            and m.cooperative_id not in probed
        ),
        key=reach,
        reverse=True,
    )
    start, size = 0, max(len(probed), want)
    while start < len(ranked) and not (len(found) == want and reach(ranked[start]) <= found[-1]):
        size *= 2  # a long tail of quiet cooperatives costs a few statements, not one per batch of ``want``
        batch = ranked[start : start + size]
        # Once ``want`` ids are found, only ids above the lowest of them can enter the page:
        # each cooperative of the batch is read from there up, not for ``want`` ids of its own.
        above = found[-1] if len(found) == want else after
        probed_now = _broadcast_ids([m.cooperative_id for m in batch], before=before, after=above, limit=want)
        found = sorted({*found, *probed_now}, reverse=True)[:want]
        start += size
    return found, personal


_NO_BOUND_BELOW = 0
_NO_BOUND_ABOVE = 2**63 - 1  # above any id: one statement serves the first page and the deep ones

# The newest ``limit`` broadcast ids of each cooperative of ``{coops}`` (a FROM item with a
# column ``cid``), merged: the per-cooperative top-N probes of the partial index
# ``feed_activity_broadcast_idx``, in a statement whose text never changes (compiled or
# planned once per connection).
_PROBES = {
    # One LATERAL join over the cooperatives.
    "postgresql": (
        "SELECT a.id FROM {coops} CROSS JOIN LATERAL ("
        "SELECT id FROM feed_activity WHERE cooperative_id = c.cid AND broadcast AND id < %(before)s"
        " AND id > %(after)s ORDER BY id DESC LIMIT %(limit)s) AS a ORDER BY a.id DESC LIMIT %(limit)s"
    ),
    # SQLite has no LATERAL: for each cooperative, the ids from its ``limit``-th newest one up
    # (found by a correlated probe: the one lower bound of the range, else the planner takes
    # ``after`` and scans the whole cooperative), merged. The index is named: with the bounds
    # as parameters the planner cannot tell it is the narrow one.
    "sqlite": (
        "SELECT t.id FROM {coops}"
        " JOIN feed_activity t INDEXED BY feed_activity_broadcast_idx ON t.cooperative_id = c.cid"
        " AND t.broadcast AND t.id < %(before)s AND t.id >= COALESCE(("
        "SELECT b.id FROM feed_activity b INDEXED BY feed_activity_broadcast_idx"
        " WHERE b.cooperative_id = c.cid AND b.broadcast"
        " AND b.id < %(before)s AND b.id > %(after)s ORDER BY b.id DESC LIMIT 1 OFFSET %(offset)s), %(after)s + 1)"
        " ORDER BY t.id DESC LIMIT %(limit)s"
    ),
}
# The probes of the cooperatives of a list of ids (``ids_param``).
_PROBES_LISTED = {
    "postgresql": _PROBES["postgresql"].format(coops="unnest(%(coops)s::bigint[]) AS c(cid)"),
    "sqlite": _PROBES["sqlite"].format(coops="(SELECT value AS cid FROM json_each(%(coops)s)) AS c"),
}

# The memberships whose cooperatives reach the feed: every one not muted, or when the feed
# shows one cooperative (``%(only)s``, 0 for all), that one, muted or not.
_SOURCE = "CASE WHEN %(only)s = 0 THEN NOT m.muted ELSE m.cooperative_id = %(only)s END"
_LEAST = {"postgresql": "LEAST", "sqlite": "MIN"}
# The first batch of cooperatives to probe: among the sources active since ``%(after)s``, the
# ``%(want)s`` of highest reach (their last activity, or ``%(ceiling)s`` when above it) and every
# one active since ``%(ceiling)s``.
_BATCH = {
    vendor: (
        "SELECT cid FROM (SELECT m.cooperative_id AS cid, c.last_activity_id AS last,"  # noqa: S608 (constants)
        f" ROW_NUMBER() OVER (ORDER BY {_LEAST[vendor]}(c.last_activity_id, %(ceiling)s) DESC) AS place"
        f" FROM {_WITH_COOPERATIVE[vendor]} WHERE m.user_id = %(user)s AND {_SOURCE}"
        " AND c.last_activity_id > %(after)s) AS ranked WHERE place <= %(want)s OR last > %(ceiling)s"
    )
    for vendor in _PROBES
}
_BROADCAST, _PERSONAL, _PROBED = 0, 1, 2
# PostgreSQL turns an EXISTS into a join when it can, and the planner then reads every
# notification of the member (a member active for a year has a thousand: 2.5 ms, ten times the
# rest of the statement) to sort them. An OFFSET keeps it a check made row by row, so the newest
# notifications are read from ``feed_notif_in_feed_idx`` and the scan stops once the page has
# enough. SQLite checks an EXISTS row by row anyway (and wants a LIMIT before any OFFSET).
_ROW_BY_ROW = {"postgresql": " OFFSET 0", "sqlite": ""}
# The page's first statement: the probes of the first batch, the newest ``%(limit)s`` personal
# notifications of the member in the sources (an item of the feed only through them), and which
# cooperatives the batch held. It needs no row read before it: it travels with the memberships.
_FIRST = {
    vendor: (
        f"WITH batch AS ({_BATCH[vendor]})"  # noqa: S608 (constants)
        f" SELECT id, {_BROADCAST} FROM ({probes.format(coops='batch AS c')}) AS probed"
        f" UNION ALL SELECT activity_id, {_PERSONAL} FROM ("
        f"SELECT activity_id FROM {Notification._meta.db_table} n WHERE user_id = %(user)s AND in_feed"
        " AND activity_id < %(before)s AND activity_id > %(after)s"
        # Checked for the notifications met, newest first, until the page has enough: a few
        # lookups of the membership's index, not every membership of the member.
        f" AND EXISTS (SELECT 1 FROM {Membership._meta.db_table} m"
        f" WHERE m.user_id = %(user)s AND m.cooperative_id = n.cooperative_id AND {_SOURCE}{_ROW_BY_ROW[vendor]})"
        " ORDER BY activity_id DESC LIMIT %(limit)s) AS personal"
        f" UNION ALL SELECT cid, {_PROBED} FROM batch"
    )
    for vendor, probes in _PROBES.items()
}


def _bound_params(*, before: int | None, after: int | None, limit: int) -> dict:
    """``before`` and ``after`` as numbers, open ends included (one statement for every page),
    and the number of ids wanted."""
    return {
        "before": _NO_BOUND_ABOVE if before is None else int(before),
        "after": _NO_BOUND_BELOW if after is None else int(after),
        "limit": int(limit),
        "offset": int(limit) - 1,
    }


def _broadcast_ids(coop_ids: list[int], *, before: int | None, after: int | None, limit: int) -> list[int]:
    if not coop_ids:
        return []
    params = {**_bound_params(before=before, after=after, limit=limit), "coops": ids_param(connection, coop_ids)}
    with connection.cursor() as cursor:
        cursor.execute(_PROBES_LISTED[connection.vendor], params)
        return [row[0] for row in cursor.fetchall()]


def _first_statement(*, user_id: int, only: int, before: int | None, after: int | None, want: int) -> Statement:
    params = _bound_params(before=before, after=after, limit=want)
    params.update(user=int(user_id), only=int(only), want=int(want), ceiling=params["before"] - 1)
    return _FIRST[connection.vendor], params


def feed_page(
    *,
    user,
    cooperative=None,
    before: int | None = None,
    after: int | None = None,
    limit: int | None = None,
) -> FeedPage:
    """One page of ``user``'s feed, older than ``before`` or newer than ``after``.

    The viewer's memberships (on the page as ``memberships``) and the first probes travel
    together (``lib.sql.rows_together``).
    """
    limit = limit or settings.FEED_PAGE_SIZE
    want = limit + 1
    first = _first_statement(
        user_id=user.pk, only=cooperative.pk if cooperative is not None else 0, before=before, after=after, want=want
    )
    membership_rows, first_rows = rows_together(connection, [_memberships_statement(user.pk), first])
    memberships = _memberships(membership_rows)
    sources = feed_sources(memberships=memberships, cooperative=cooperative)
    if not sources:
        return FeedPage(items=[], has_more=False, memberships=memberships)
    broadcast, personal = _newest_ids(sources, first_rows, before=before, after=after, want=want)
    personal = set(personal)
    ordered = sorted(personal.union(broadcast), reverse=True)
    has_more = len(ordered) > limit
    page_ids = ordered[:limit]
    # Items of kinds not broadcast reach the feed only as personal notifications: without one on
    # this page, their kinds' reads are not needed.
    items = activities_for_display(
        ids=page_ids, user=user, memberships=memberships, personal=bool(personal.intersection(page_ids))
    )
    # The cursors are the page's ids, shown or not (an item whose target is gone is left out).
    return FeedPage(
        items=items,
        has_more=has_more,
        memberships=memberships,
        last_id=page_ids[-1] if page_ids else None,
        first_id=page_ids[0] if page_ids else None,
    )


def activities_for_display(
    *, ids: list[int], user, memberships: list[FeedMembership] | None = None, personal: bool = True
) -> list[Activity]:
    """The activities ``ids``, newest first, with everything their cards show, in a number of
    queries bounded by the number of item kinds on the page (``feed.items``), never by the
    number of items.

    The activities come with their cooperative and actor; each kind then loads its targets in
    bulk (``targets_load``). The kinds that read their targets in plain SQL (``statements``: the
    news, and every kind with the default ``load``) send those reads in the same round trip as
    the activities on PostgreSQL (on SQLite, only those of the kinds on the page, after them),
    selecting their targets by the page's ids in a subquery; those of kinds not ``broadcast``
    only when the page holds ``personal`` items (they reach a feed only as notifications). An
    activity whose target is gone is left out.
    """
    if not ids:
        return []
    in_page, params = in_ids(connection, "id", ids)
    also: list[Statement] = []
    spans: dict[str, tuple[int, int]] = {}
    present = None
    if connection.vendor != "postgresql":
        # No round trip to save (SQLite runs in process): the activities first, then the
        # reads of the kinds on the page only.
        activities, _ = _activities_with_related(ids)
        present = {a.verb for a in activities}
    for kind in item_kinds().values():
        if kind.statements is None or not (kind.broadcast or personal):
            continue
        if present is not None and kind.verb not in present:
            continue
        of_targets = (
            f"SELECT target_id FROM {Activity._meta.db_table} WHERE {in_page} AND verb = %s",  # noqa: S608 (names)
            [*params, kind.verb],
        )
        statements = kind.statements(of_targets, int(user.pk))
        spans[kind.verb] = (len(also), len(also) + len(statements))
        also.extend(statements)
    if present is None:
        activities, others = _activities_with_related(ids, also=also)
    else:
        others = rows_together(connection, also)
    rows = {verb: others[start:end] for verb, (start, end) in spans.items()}
    mine = {m.cooperative_id: m for m in memberships} if memberships is not None else None
    return targets_load(activities, user=user, memberships=mine, rows=rows)


# What no feed item shows of a cooperative (its description, its search text, its dates).
COOPERATIVE_UNSHOWN = ("created_at", "updated_at", "description", "search_text")


def _activities_with_related(
    ids: list[int], *, also: Sequence[Statement] = ()
) -> tuple[list[Activity], list[list[tuple]]]:
    """``Activity.objects.filter(pk__in=ids).select_related("actor", "cooperative").order_by("-id")``,
    in plain SQL (``lib.rows``): the ORM spent longer building this query than running it. The
    statements ``also`` are sent with it (``lib.sql.rows_together``): (the activities, the rows of
    each of ``also``)."""
    select = joined(
        connection,
        Table(Activity, "a"),
        Table(Cooperative, "c", omit=COOPERATIVE_UNSHOWN),
        Table(User, "actor", omit=PERSON_UNSHOWN),
    )
    joins = (
        f" FROM {Activity._meta.db_table} a JOIN {Cooperative._meta.db_table} c ON c.id = a.cooperative_id"
        f" LEFT JOIN {User._meta.db_table} actor ON actor.id = a.actor_id"
    )
    in_page, params = in_ids(connection, "a.id", ids)
    found, *others = rows_together(
        connection, [(f"SELECT {select.columns}{joins} WHERE {in_page} ORDER BY a.id DESC", params), *also]
    )
    cooperative_field = Activity._meta.get_field("cooperative")
    actor_field = Activity._meta.get_field("actor")
    activities = []
    for activity, cooperative, actor in select.instances(found):
        # As select_related leaves them: the related objects cached, None for a missing one.
        cooperative_field.set_cached_value(activity, cooperative)
        actor_field.set_cached_value(activity, actor)
        activities.append(activity)
    return activities, others


def feed_memberships(*, user) -> list[Membership]:
    """The cooperatives of ``user`` (for the feed's filter and settings), by name."""
    return list(Membership.objects.filter(user=user).select_related("cooperative").order_by("cooperative__name", "id"))


UNREAD_CAP = 99
# Unread notifications of member ``%(user)s``, counted up to one more than the badge shows ("99+").
UNREAD_SQL = (
    f"SELECT COUNT(*) FROM (SELECT id FROM {Notification._meta.db_table}"  # noqa: S608 (names and a constant)
    f" WHERE user_id = %(user)s AND read_at IS NULL LIMIT {UNREAD_CAP + 1}) AS unread"
)


def badge_context(*, user, count: int | None) -> dict:
    """What the unread-notifications badge shows: ``count`` (the menu's fact ``unread``,
    ``core.menu``), its label ("99+"), and how often it refreshes itself (twice the feed's
    polling interval)."""
    if user is None or not user.is_authenticated:
        return {"count": 0, "label": "", "refresh_seconds": 0}
    return {
        "count": count,
        "label": f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count),
        "refresh_seconds": 2 * settings.FEED_POLL_SECONDS,
    }


def notifications_for(*, user, before: int | None = None, limit: int = 30) -> tuple[list[Notification], bool]:
    """The notifications of ``user``, newest first, their activities' targets loaded (one query per
    kind of item among them, ``feed.items``)."""
    qs = Notification.objects.filter(user=user).select_related("actor", "cooperative", "activity", "join_request")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-id")[: limit + 1])
    notifications = rows[:limit]
    targets_load([n.activity for n in notifications if n.activity is not None], user=user, cards=False)
    return notifications, len(rows) > limit
