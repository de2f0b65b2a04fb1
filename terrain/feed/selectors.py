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
merged. A member of 200 cooperatives costs 200 short index range scans, never
a sort of every activity of those cooperatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from terrain.accounts.models import User
from terrain.cooperatives.access import CooperativeAccess
from terrain.cooperatives.models import Cooperative, Membership
from terrain.feed.models import Activity, Notification, Verb
from terrain.lib.rows import Table, joined
from terrain.news.models import Comment, Post

# SQLite refuses compound SELECTs of more than 500 terms; stay well under.
_UNION_CHUNK = 250


@dataclass
class FeedPage:
    items: list[Activity]
    has_more: bool

    @property
    def last_id(self) -> int | None:
        return self.items[-1].pk if self.items else None

    @property
    def first_id(self) -> int | None:
        return self.items[0].pk if self.items else None


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


def feed_memberships_of(*, user) -> list[FeedMembership]:
    """Every membership of ``user``, by cooperative name: the feed's sources,
    the filter's choices and the viewer's rights, from a single query."""
    # Plain SQL: a member of two hundred cooperatives reads two hundred rows on every
    # feed page, and the ORM spends ten times longer building them than the database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.cooperative_id, c.code, c.name, m.muted, m.role, c.last_activity_id"  # noqa: S608
            f" FROM {Membership._meta.db_table} m JOIN {Cooperative._meta.db_table} c ON c.id = m.cooperative_id"
            " WHERE m.user_id = %s ORDER BY c.name, m.id",
            [user.pk],
        )
        rows = cursor.fetchall()
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


def _newest_broadcast_ids(sources: list[FeedMembership], *, after: int | None, want: int) -> list[int]:
    """The ``want`` newest broadcast ids (above ``after``) of ``sources``, probing the
    most recently active cooperatives first.

    ``last_activity_id`` is never below a cooperative's newest broadcast id. So
    once ``want`` ids are found, a cooperative whose mark is not above the
    lowest of them cannot add anything: a member of 200 cooperatives usually
    costs one batch of ``want`` probes, like a member of a few. A mark left high
    by a deletion only costs another batch, never a missed item.
    """
    ranked = sorted(
        (m for m in sources if m.last_activity_id is not None and (after is None or m.last_activity_id > after)),
        key=lambda m: m.last_activity_id,
        reverse=True,
    )
    found: list[int] = []
    for start in range(0, len(ranked), want):
        batch = ranked[start : start + want]
        found = sorted(
            {*found, *_broadcast_ids([m.cooperative_id for m in batch], before=None, after=after, limit=want)},
            reverse=True,
        )[:want]
        following = ranked[start + want] if start + want < len(ranked) else None
        if following is None or (len(found) == want and following.last_activity_id <= found[-1]):
            break
    return found


def _broadcast_ids(coop_ids: list[int], *, before: int | None, after: int | None, limit: int) -> list[int]:
    if not coop_ids:
        return []
    bound = ""
    if before is not None:
        bound += f" AND id < {int(before)}"
    if after is not None:
        bound += f" AND id > {int(after)}"
    ids: list[int] = []
    if connection.vendor == "postgresql":
        # The same per-cooperative top-N probes as below, as one LATERAL join:
        # PostgreSQL spends longer planning a 200-branch UNION ALL than running it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id FROM unnest(%s::bigint[]) AS c(cid) CROSS JOIN LATERAL ("  # noqa: S608
                f"SELECT id FROM feed_activity WHERE cooperative_id = c.cid AND broadcast{bound}"
                " ORDER BY id DESC LIMIT %s) AS a ORDER BY a.id DESC LIMIT %s",
                [list(coop_ids), limit, limit],
            )
            return [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        for start in range(0, len(coop_ids), _UNION_CHUNK):
            chunk = coop_ids[start : start + _UNION_CHUNK]
            # Integers only, cast above and below: safe to inline, and it keeps
            # the statement identical in shape for SQLite and PostgreSQL.
            terms = " UNION ALL ".join(
                f"SELECT * FROM (SELECT id FROM feed_activity WHERE cooperative_id = {int(cid)} AND broadcast"  # noqa: S608
                f"{bound} ORDER BY id DESC LIMIT {int(limit)}) AS t{i}"
                for i, cid in enumerate(chunk)
            )
            cursor.execute(f"SELECT id FROM ({terms}) AS u ORDER BY id DESC LIMIT {int(limit)}")  # noqa: S608
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _personal_ids(*, user, coop_ids: list[int], before: int | None, after: int | None, limit: int) -> list[int]:
    # Integers only, inlined like the probes above (an ORM filter on two hundred ids
    # costs more to build than to run).
    bound = ""
    if before is not None:
        bound += f" AND activity_id < {int(before)}"
    if after is not None:
        bound += f" AND activity_id > {int(after)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT activity_id FROM {Notification._meta.db_table} WHERE user_id = %s AND in_feed"  # noqa: S608
            f" AND cooperative_id IN ({', '.join(str(int(cid)) for cid in coop_ids)}){bound}"
            f" ORDER BY activity_id DESC LIMIT {int(limit)}",
            [user.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def feed_page(
    *,
    user,
    cooperative=None,
    before: int | None = None,
    after: int | None = None,
    limit: int | None = None,
    memberships: list[FeedMembership] | None = None,
) -> FeedPage:
    """One page of ``user``'s feed, older than ``before`` or newer than ``after``.

    ``memberships`` (from ``feed_memberships_of``) saves a query when the caller has them.
    """
    limit = limit or settings.FEED_PAGE_SIZE
    if memberships is None:
        memberships = feed_memberships_of(user=user)
    sources = feed_sources(memberships=memberships, cooperative=cooperative)
    coop_ids = [m.cooperative_id for m in sources]
    if not coop_ids:
        return FeedPage(items=[], has_more=False)
    want = limit + 1
    if before is None:
        ids = set(_newest_broadcast_ids(sources, after=after, want=want))
    else:
        ids = set(_broadcast_ids(coop_ids, before=before, after=after, limit=want))
    personal = set(_personal_ids(user=user, coop_ids=coop_ids, before=before, after=after, limit=want))
    ordered = sorted(ids | personal, reverse=True)
    has_more = len(ordered) > limit
    page_ids = ordered[:limit]
    # Comment activities reach the feed only as personal notifications: without
    # one on this page, the comment joins are not needed.
    items = activities_for_display(
        ids=page_ids, user=user, memberships=memberships, with_comments=bool(personal.intersection(page_ids))
    )
    return FeedPage(items=items, has_more=has_more)


def activities_for_display(
    *, ids: list[int], user, memberships: list[FeedMembership] | None = None, with_comments: bool = True
) -> list[Activity]:
    """Load activities with everything their cards show, in a fixed number of queries.

    Posts of ``post_published`` activities are prepared for the news card
    (``news.selectors.posts_prepare``); comments of ``comment_added`` ones get
    their ``body_display``. Each activity also carries ``reaction_counts`` and
    ``my_reaction`` of its post. Post cards come from the card cache when
    there (``news.cards``).
    """
    from terrain.news.selectors import comments_prepare, posts_prepare

    if not ids:
        return []
    activities = _activities_with_related(ids, with_comments=with_comments)
    posts = []
    comments = []
    for activity in activities:
        if activity.post_id:
            # Same row as the activity's cooperative: no query to reach it from the post.
            activity.post.cooperative = activity.cooperative
            if activity.verb == Verb.POST_PUBLISHED:
                posts.append(activity.post)
        if activity.comment_id and activity.post_id:
            activity.comment.post = activity.post
            comments.append(activity.comment)
    accesses = None
    if memberships is not None:
        mine = {m.cooperative_id: m for m in memberships}
        accesses = {
            post.cooperative_id: CooperativeAccess(
                cooperative=post.cooperative,
                membership=mine[post.cooperative_id].as_membership(user_id=user.pk)
                if post.cooperative_id in mine
                else None,
            )
            for post in posts
        }
    posts_prepare(posts=posts, user_id=user.pk, accesses=accesses, cards=True)
    comments_prepare(comments=comments)
    for activity in activities:
        activity.reaction_counts = getattr(activity.post, "reaction_counts", {}) if activity.post_id else {}
        activity.my_reaction = getattr(activity.post, "my_reaction", None) if activity.post_id else None
    return activities


def _activities_with_related(ids: list[int], *, with_comments: bool) -> list[Activity]:
    """``Activity.objects.filter(pk__in=ids).select_related("actor", "cooperative", "post",
    "post__author"[, "comment", "comment__author"]).order_by("-id")``, in plain SQL
    (``lib.rows``): the ORM spent longer building this query than running it."""
    tables = [
        Table(Activity, "a"),
        Table(Cooperative, "c"),
        Table(User, "actor"),
        Table(Post, "p"),
        Table(User, "post_author"),
    ]
    joins = (
        f" FROM {Activity._meta.db_table} a JOIN {Cooperative._meta.db_table} c ON c.id = a.cooperative_id"
        f" LEFT JOIN {User._meta.db_table} actor ON actor.id = a.actor_id"
        f" LEFT JOIN {Post._meta.db_table} p ON p.id = a.post_id"
        f" LEFT JOIN {User._meta.db_table} post_author ON post_author.id = p.author_id"
    )
    if with_comments:
        tables += [Table(Comment, "cm"), Table(User, "comment_author")]
        joins += (
            f" LEFT JOIN {Comment._meta.db_table} cm ON cm.id = a.comment_id"
            f" LEFT JOIN {User._meta.db_table} comment_author ON comment_author.id = cm.author_id"
        )
    select = joined(connection, *tables)
    where = f" WHERE a.id IN ({', '.join(str(int(pk)) for pk in ids)}) ORDER BY a.id DESC"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select.columns}{joins}{where}")
        rows = select.instances(cursor.fetchall())
    relation = {name: Activity._meta.get_field(name) for name in ("cooperative", "actor", "post", "comment")}
    post_author = Post._meta.get_field("author")
    comment_author = Comment._meta.get_field("author")
    activities = []
    for activity, cooperative, actor, post, author, *commented in rows:
        # As select_related leaves them: the related objects cached, None for a missing one.
        relation["cooperative"].set_cached_value(activity, cooperative)
        relation["actor"].set_cached_value(activity, actor)
        relation["post"].set_cached_value(activity, post)
        if post is not None:
            post_author.set_cached_value(post, author)
        if with_comments:
            comment, author = commented
            relation["comment"].set_cached_value(activity, comment)
            if comment is not None:
                comment_author.set_cached_value(comment, author)
        activities.append(activity)
    return activities


def feed_memberships(*, user) -> list[Membership]:
    """The cooperatives of ``user`` (for the feed's filter and settings), by name."""
    return list(Membership.objects.filter(user=user).select_related("cooperative").order_by("cooperative__name", "id"))


def unread_notification_count(*, user, cap: int = 99) -> int:
    """Unread notifications, counted up to ``cap`` (the badge shows "99+")."""
    # Plain SQL: every page of a signed-in member shows the badge.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT id FROM {Notification._meta.db_table}"  # noqa: S608
            f" WHERE user_id = %s AND read_at IS NULL LIMIT {int(cap) + 1}) AS unread",
            [user.pk],
        )
        return cursor.fetchone()[0]


def badge_context(*, user) -> dict:
    """What the unread-notifications badge shows: the count, its label ("99+"),
    and how often it refreshes itself (twice the feed's polling interval)."""
    if user is None or not user.is_authenticated:
        return {"count": 0, "label": "", "refresh_seconds": 0}
    count = unread_notification_count(user=user)
    return {
        "count": count,
        "label": "99+" if count > 99 else str(count),
        "refresh_seconds": 2 * settings.FEED_POLL_SECONDS,
    }


def notifications_for(*, user, before: int | None = None, limit: int = 30) -> tuple[list[Notification], bool]:
    qs = Notification.objects.filter(user=user).select_related(
        "actor", "cooperative", "activity", "activity__post", "activity__comment", "join_request"
    )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-id")[: limit + 1])
    return rows[:limit], len(rows) > limit
