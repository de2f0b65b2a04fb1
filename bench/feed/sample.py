"""Who the benchmark signs in as, and what their pages must show.

Two groups: members of exactly 2 cooperatives whose feed is deep enough for
the deep page, and the members in the most cooperatives (about 200). Each
gets a real session row (no password hashing in the loop), the cursor of the
page 10 pages down, and the first item expected on each page, so that every
answer can be checked against the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DEPTH = 10  # pages skipped before the deep page


@dataclass
class Member:
    user_id: int
    cooperatives: int
    session_key: str
    deep_cursor: str
    first_code: str  # a code the first page must contain
    deep_code: str  # a code the deep page must contain


def _item_code(activity) -> str:
    # The card of an item links to what it is about by code: its post (a comment's card too),
    # topic, reply, FAQ entry or file (every file of a grouped card is listed); a "joined" item
    # shows its cooperative.
    post = getattr(activity, "post", None)
    if post is not None:
        return post.code
    target = getattr(activity, "target", None)
    if getattr(target, "code", None):
        return target.code
    return activity.cooperative.code


def sample_members(*, per_group: int, seed: int) -> dict[str, list[Member]]:
    """``per_group`` members of 2 cooperatives and as many of the most cooperatives, signed in."""
    from django.conf import settings
    from django.db import connection

    page_size = settings.FEED_PAGE_SIZE
    need = (DEPTH + 1) * page_size + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT cooperative_id, COUNT(*) FROM feed_activity WHERE broadcast GROUP BY cooperative_id")
        broadcasts = dict(cursor.fetchall())
        cursor.execute("SELECT user_id, COUNT(*) FROM cooperatives_membership WHERE NOT muted GROUP BY user_id")
        counts = dict(cursor.fetchall())
        two = sorted(user for user, n in counts.items() if n == 2)
        cursor.execute(
            "SELECT user_id, cooperative_id FROM cooperatives_membership WHERE NOT muted AND user_id IN "
            "(SELECT user_id FROM cooperatives_membership WHERE NOT muted GROUP BY user_id HAVING COUNT(*) = 2)"
        )
        coops_of: dict[int, list[int]] = {}
        for user, coop in cursor.fetchall():
            coops_of.setdefault(user, []).append(coop)
    deep_enough = [u for u in two if sum(broadcasts.get(c, 0) for c in coops_of.get(u, [])) >= need]
    rng = random.Random(seed)
    rng.shuffle(deep_enough)
    most = sorted(counts, key=lambda u: (-counts[u], u))
    groups = {"2": deep_enough[: per_group * 2], "200": most[: per_group * 2]}
    return {name: _prepare(users, counts, per_group, page_size) for name, users in groups.items()}


def _prepare(user_ids: list[int], counts: dict[int, int], wanted: int, page_size: int) -> list[Member]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from terrain.accounts.backends import MEMBER_BACKEND
    from terrain.accounts.models import User
    from terrain.feed.selectors import feed_page
    from terrain.lib.cursor import encode_cursor

    members = []
    users = User.objects.in_bulk(user_ids)
    for user in (users[pk] for pk in user_ids):  # in the order given: the most cooperatives first
        if len(members) >= wanted:
            break
        # One read of the first 11 pages gives the cursor after page 10 and what both pages start with.
        items = feed_page(user=user, limit=(DEPTH + 1) * page_size).items
        if len(items) <= DEPTH * page_size:
            continue  # a feed too short for a deep page
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = MEMBER_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        members.append(
            Member(
                user_id=user.pk,
                cooperatives=counts[user.pk],
                session_key=session.session_key,
                deep_cursor=encode_cursor(items[DEPTH * page_size - 1].pk),
                first_code=_item_code(items[0]),
                deep_code=_item_code(items[DEPTH * page_size]),
            )
        )
    return members
