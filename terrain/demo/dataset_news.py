"""The news part of the bulk dataset: posts, comments, reactions, and what the feed reads.

Mirrors ``post_create`` and ``comment_create``: a post gets a broadcast
``post_published`` activity and a follow by its author; a comment gets a
``comment_added`` activity (not broadcast), ``in_feed`` notifications for the
post's followers (its author and earlier commenters, all members of the
cooperative here) and makes its author a follower.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from itertools import accumulate

from terrain.demo import text
from terrain.feed.models import Activity, Notification
from terrain.news.feed_items import COMMENT_ADDED, POST_PUBLISHED
from terrain.news.models import Comment, Post, PostFollow, PostImage, Reaction

DAY = 86_400.0
REACTION_KINDS = ["like"] * 50 + ["support"] * 20 + ["bravo"] * 15 + ["thanks"] * 12 + ["sad"] * 3


def cumulative(weights) -> list[float]:
    return list(accumulate(weights))


def pick(rng: random.Random, cum: list[float]) -> int:
    """An index drawn with the weights whose running total is ``cum``."""
    return bisect_left(cum, rng.random() * cum[-1])


def write_news(
    loader, rng: random.Random, scale, coops, users, now: float, codes, *, images, extra_activities=()
) -> None:
    """Plan and write posts, images, comments, activities, notifications, follows and reactions.

    ``extra_activities`` (the toolbox's, sorted by time: epoch, cooperative index, actor index,
    verb, target id) go into the same stream, so that ids keep the order of time."""
    start, end = now - 365 * DAY, now - 60
    coop_id0, user_id0 = coops.first_id, users.first_id
    n_posts, n_comments = scale.posts, scale.comments

    # Posts: busier cooperatives publish more, not proportionally more.
    cum = cumulative(len(members) ** 0.8 for members in coops.members)
    post_ts = sorted(rng.uniform(start, end) for _ in range(n_posts))
    post_coop = [pick(rng, cum) for _ in range(n_posts)]
    post_author = [rng.choice(coops.members[c]) for c in post_coop]

    # Comments: most posts get none or a few, a few get dozens; the people who
    # comment a post are a small circle of its cooperative.
    cum = cumulative(min(rng.paretovariate(1.3), 200.0) for _ in range(n_posts))
    comment_post = [pick(rng, cum) for _ in range(n_comments)]
    comment_ts = [min(post_ts[p] + rng.expovariate(1 / 21_600), end) for p in comment_post]
    circles: dict[int, list[int]] = {}
    comment_author = []
    for p in comment_post:
        circle = circles.get(p)
        if circle is None:
            members = coops.members[post_coop[p]]
            circle = circles[p] = rng.sample(members, min(4, len(members)))
        comment_author.append(post_author[p] if rng.random() < 0.25 else rng.choice(circle))
    del circles
    order = sorted(range(n_comments), key=comment_ts.__getitem__)
    comment_count = [0] * n_posts
    for p in comment_post:
        comment_count[p] += 1
    loader.phase("news planned", f"{n_posts} posts, {n_comments} comments")

    post_id0 = loader.next_id(Post)
    post_bodies = text.post_bodies(rng, 4000)

    def post_rows():
        for p in range(n_posts):
            at = loader.dt(post_ts[p])
            yield (
                post_id0 + p,
                at,
                at,
                next(codes),
                coop_id0 + post_coop[p],
                user_id0 + post_author[p],
                rng.choice(post_bodies),
                comment_count[p],
            )

    loader.insert(
        Post,
        ["id", "created_at", "updated_at", "code", "cooperative_id", "author_id", "body_html", "comment_count"],
        post_rows(),
    )

    def image_rows():
        for p in range(n_posts):
            if rng.random() < scale.image_share:
                for position in range(rng.choice((1, 1, 2, 3))):
                    name, width, height, alt = rng.choice(images)
                    yield (next(codes), post_id0 + p, name, width, height, alt, position)

    loader.insert(PostImage, ["code", "post_id", "image", "width", "height", "alt_text", "position"], image_rows())
    loader.phase("posts", f"{n_posts} posts")

    comment_id0 = loader.next_id(Comment)
    comment_bodies = text.comment_bodies(rng, 2000)

    def comment_rows():
        for rank, k in enumerate(order):
            at = loader.dt(comment_ts[k])
            yield (
                comment_id0 + rank,
                at,
                at,
                next(codes),
                post_id0 + comment_post[k],
                user_id0 + comment_author[k],
                rng.choice(comment_bodies),
            )

    loader.insert(
        Comment, ["id", "created_at", "updated_at", "code", "post_id", "author_id", "body_html"], comment_rows()
    )
    loader.phase("comments", f"{n_comments} comments")

    # Activities in the order of time: the feed pages by id.
    activity_id0 = loader.next_id(Activity)
    comment_activity = [0] * n_comments

    extra = list(extra_activities)
    n_extra = len(extra)
    never = float("inf")

    def activity_rows():
        i = j = x = 0
        activity_id = activity_id0
        while i < n_posts or j < n_comments or x < n_extra:
            post_t = post_ts[i] if i < n_posts else never
            comment_t = comment_ts[order[j]] if j < n_comments else never
            if x < n_extra and extra[x][0] < post_t and extra[x][0] < comment_t:
                at, c, actor, verb, target = extra[x]
                yield (activity_id, next(codes), coop_id0 + c, user_id0 + actor, verb, True, target, loader.dt(at))
                x += 1
            elif post_t <= comment_t:
                yield (
                    activity_id,
                    next(codes),
                    coop_id0 + post_coop[i],
                    user_id0 + post_author[i],
                    POST_PUBLISHED,
                    True,
                    post_id0 + i,
                    loader.dt(post_ts[i]),
                )
                i += 1
            else:
                k = order[j]
                p = comment_post[k]
                comment_activity[j] = activity_id
                yield (
                    activity_id,
                    next(codes),
                    coop_id0 + post_coop[p],
                    user_id0 + comment_author[k],
                    COMMENT_ADDED,
                    False,
                    comment_id0 + j,
                    loader.dt(comment_ts[k]),
                )
                j += 1
            activity_id += 1

    loader.insert(
        Activity,
        ["id", "code", "cooperative_id", "actor_id", "verb", "broadcast", "target_id", "created_at"],
        activity_rows(),
    )
    loader.phase("activities", f"{n_posts + n_comments + n_extra} activities")

    followers: dict[int, list[int]] = {}
    read_before = now - 3 * DAY

    def notification_rows():
        for j, k in enumerate(order):
            p = comment_post[k]
            author = comment_author[k]
            at = comment_ts[k]
            circle = followers.get(p)
            if circle is None:
                circle = followers[p] = [post_author[p]]
            created = loader.dt(at)
            for follower in circle:
                if follower != author:
                    read = at < read_before and rng.random() < 0.85
                    yield (
                        next(codes),
                        user_id0 + follower,
                        Notification.Reason.COMMENT.value,
                        user_id0 + author,
                        coop_id0 + post_coop[p],
                        comment_activity[j],
                        True,
                        created,
                        loader.dt(at + rng.uniform(600, 2 * DAY)) if read else None,
                    )
            if author not in circle:
                circle.append(author)

    loader.insert(
        Notification,
        ["code", "user_id", "reason", "actor_id", "cooperative_id", "activity_id", "in_feed", "created_at", "read_at"],
        notification_rows(),
    )
    loader.phase("notifications", f"{loader.counts.get(Notification._meta.db_table, 0)} notifications")

    def follow_rows():
        for p in range(n_posts):
            for user in followers.get(p) or (post_author[p],):
                yield (post_id0 + p, user_id0 + user)

    loader.insert(PostFollow, ["post_id", "user_id"], follow_rows())
    loader.phase("post follows", f"{loader.counts.get(PostFollow._meta.db_table, 0)} follows")

    cum = cumulative(min(rng.paretovariate(1.5), 50.0) for _ in range(n_posts))
    seen: set[tuple[int, int]] = set()

    def reaction_rows():
        for _ in range(round(n_posts * scale.reactions_per_post)):
            p = pick(rng, cum)
            user = rng.choice(coops.members[post_coop[p]])
            if (p, user) in seen:
                continue
            seen.add((p, user))
            at = min(post_ts[p] + rng.expovariate(1 / 7200), end)
            yield (post_id0 + p, user_id0 + user, rng.choice(REACTION_KINDS), loader.dt(at))

    loader.insert(Reaction, ["post_id", "user_id", "kind", "created_at"], reaction_rows())
    loader.phase("reactions", f"{loader.counts.get(Reaction._meta.db_table, 0)} reactions")
