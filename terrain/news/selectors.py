"""Reads of news posts and comments, ready for display.

Cards need a lot (author, images, the last comments, reaction counts, the
viewer's own reaction, which @mentions to link, what the viewer may do):
``posts_prepare`` loads all of it for a list of posts in a fixed number of
queries, whatever the number of posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from terrain.accounts.models import PERSON_UNSHOWN, User
from terrain.cooperatives.access import CooperativeAccess
from terrain.cooperatives.models import Membership
from terrain.lib.cursor import decode_cursor, encode_cursor
from terrain.lib.html import extract_mentions, link_mentions, sanitize_rich_text
from terrain.lib.rows import Table, joined
from terrain.lib.sql import in_ids, rows_together
from terrain.lib.text import fold
from terrain.lib.urls import url_for_code
from terrain.news.access import CommentAccess, PostAccess
from terrain.news.cards import cached_cards, card_keys
from terrain.news.models import Comment, Post, PostImage, Reaction

STREAM_PAGE_SIZE = 20
RECENT_COMMENTS = 3

REACTION_EMOJI = {
    Reaction.Kind.LIKE: "👍",
    Reaction.Kind.SUPPORT: "✊",
    Reaction.Kind.BRAVO: "👏",
    Reaction.Kind.THANKS: "🙏",
    Reaction.Kind.SAD: "😢",
}


@dataclass
class CooperativeStream:
    pinned: list[Post]
    posts: list[Post]
    has_more: bool
    next_cursor: str | None


def cooperative_stream(*, access: CooperativeAccess, before: str | None = None) -> CooperativeStream:
    """The news of a cooperative for a member (``access`` from get_cooperative_for).

    ``before`` is the opaque cursor of an ``?avant=`` link; a forged one reads
    as the first page. Pinned posts come on the first page only and are not
    repeated in the dated list.
    """
    user_id = access.membership.user_id if access.membership else None
    if user_id is None:
        return CooperativeStream(pinned=[], posts=[], has_more=False, next_cursor=None)
    before_id = decode_cursor(before)
    base = Post.objects.filter(cooperative=access.cooperative, deleted_at__isnull=True).select_related("author")
    pinned: list[Post] = []
    if before_id is None:
        pinned = list(base.filter(pinned_at__isnull=False).order_by("-pinned_at")[:10])
    dated = base.filter(pinned_at__isnull=True)
    if before_id is not None:
        dated = dated.filter(pk__lt=before_id)
    rows = list(dated.order_by("-id")[: STREAM_PAGE_SIZE + 1])
    has_more = len(rows) > STREAM_PAGE_SIZE
    posts = rows[:STREAM_PAGE_SIZE]
    for post in [*pinned, *posts]:
        post.cooperative = access.cooperative
    posts_prepare(posts=[*pinned, *posts], user_id=user_id, accesses={access.cooperative.pk: access})
    return CooperativeStream(
        pinned=pinned,
        posts=posts,
        has_more=has_more,
        next_cursor=encode_cursor(posts[-1].pk) if has_more else None,
    )


def post_for_display(*, access: PostAccess) -> Post:
    """One post with every comment, for its own page."""
    post = access.post
    posts_prepare(
        posts=[post],
        user_id=access.user_id,
        accesses={post.cooperative_id: access.cooperative},
        all_comments=True,
    )
    return post


def reactions_for_display(*, post: Post, user_id: int) -> Post:
    """Refresh only the reaction counts and the viewer's reaction of ``post``."""
    _attach_reactions([post], user_id=user_id)
    return post


def comment_for_display(*, access: CommentAccess) -> Comment:
    """One comment ready for its partial (after writing or editing it)."""
    comment = access.comment
    comment.access = access
    cooperative_id = comment.post.cooperative_id
    urls = _mention_urls([comment.body_html], {cooperative_id})
    comment.body_display = _render(comment.body_html, urls.get(cooperative_id, {}))
    return comment


def comments_prepare(*, comments: Sequence[Comment]) -> None:
    """Set ``body_display`` on comments shown outside their post's card (the feed).
    Each comment's ``post`` must be loaded."""
    comments = [c for c in comments if c is not None]
    if not comments:
        return
    urls = _mention_urls([c.body_html for c in comments], {c.post.cooperative_id for c in comments})
    for comment in comments:
        comment.body_display = _render(comment.body_html, urls.get(comment.post.cooperative_id, {}))


def posts_prepare(
    *,
    posts: Sequence[Post],
    user_id: int,
    accesses: dict[int, CooperativeAccess] | None = None,
    all_comments: bool = False,
    cards: bool = False,
    extras: PostExtras | None = None,
) -> None:
    """Attach to each post what its card shows, in a bounded number of queries.

    Sets on each post: ``access`` (PostAccess of the viewer), ``body_display``
    (sanitised again, @mentions of members linked), ``image_list``,
    ``comments_shown`` (the last three, or all with ``all_comments``; each with
    ``access`` and ``body_display``), ``reaction_counts`` ({kind: n}),
    ``reaction_total`` and ``my_reaction``. ``accesses`` gives the viewer's
    rights per cooperative id when already known; the others are loaded.
    Every post must have its ``cooperative`` loaded.

    With ``cards`` (the feed: ``news.cards``), each post also gets ``card_key``
    and ``card_mentions``, and ``card_skeleton`` when its card is cached; the
    text, images and comment texts of those are then neither loaded nor rendered.

    ``extras`` gives the last comments and the reaction counts of the posts when the caller
    read them already (``post_extras_statements``, sent with its own reads).
    """
    posts = [p for p in posts if p is not None]
    if not posts:
        return
    accesses = dict(accesses or {})
    missing = {p.cooperative_id for p in posts} - set(accesses)
    if missing:
        memberships = {
            m.cooperative_id: m for m in Membership.objects.filter(user_id=user_id, cooperative_id__in=missing)
        }
        for post in posts:
            if post.cooperative_id in missing and post.cooperative_id not in accesses:
                accesses[post.cooperative_id] = CooperativeAccess(
                    cooperative=post.cooperative, membership=memberships.get(post.cooperative_id)
                )

    ids = [p.pk for p in posts]
    if extras is not None:
        comments, reaction_rows = extras.comments, extras.reactions
    elif all_comments:
        comments = Comment.objects.filter(post_id__in=ids, deleted_at__isnull=True).select_related("author")
        comments = comments.order_by("id")
        reaction_rows = None
    else:
        # The last comments and the reactions, in one round trip.
        of_posts = in_ids(connection, "post_id", ids)
        extras = post_extras(rows_together(connection, post_extras_statements(of_posts, user_id=user_id)))
        comments, reaction_rows = extras.comments, extras.reactions
    by_post: dict[int, list[Comment]] = {}
    for comment in comments:
        by_post.setdefault(comment.post_id, []).append(comment)

    cached: dict = {}
    if cards:
        keys = card_keys(posts, by_post)
        for post in posts:
            post.card_key = keys[post.pk]
            post.card_skeleton = None
        cached = cached_cards(posts)
    # The handles each card mentions: from its texts, or as recorded beside its cached skeleton.
    handles: dict[int, set[str]] = {}
    for post in posts:
        if post.pk in cached:
            handles[post.pk] = set(cached[post.pk][1])
        else:
            texts = [post.body_html] + [c.body_html for c in by_post.get(post.pk, [])]
            handles[post.pk] = set().union(*(extract_mentions(text) for text in texts))
    urls = _mention_urls_for(set().union(*handles.values()), {p.cooperative_id for p in posts})
    mentions = {
        post.pk: {h: urls.get(post.cooperative_id, {}).get(h, "") for h in sorted(handles[post.pk])} for post in posts
    }
    # A mentioned person joined or left the cooperative since: render that card again.
    cached = {post_id: entry for post_id, entry in cached.items() if entry[1] == mentions[post_id]}
    fresh = [p.pk for p in posts if p.pk not in cached]
    images: dict[int, list[PostImage]] = {}
    if fresh:
        for image in PostImage.objects.filter(post_id__in=fresh).order_by("position", "id"):
            images.setdefault(image.post_id, []).append(image)

    _attach_reactions(posts, user_id=user_id, rows=reaction_rows)
    for post in posts:
        post.access = PostAccess(post=post, cooperative=accesses[post.cooperative_id], user_id=user_id)
        post.comments_shown = by_post.get(post.pk, [])
        post.more_comments = max(post.comment_count - len(post.comments_shown), 0)
        coop_urls = urls.get(post.cooperative_id, {})
        if cards:
            post.card_mentions = mentions[post.pk]
            if post.pk in cached:
                post.card_skeleton = cached[post.pk][0]
        render = post.pk not in cached
        if render:
            post.body_display = _render(post.body_html, coop_urls)
            post.image_list = images.get(post.pk, [])
        for comment in post.comments_shown:
            comment.post = post
            comment.access = CommentAccess(comment=comment, post=post.access)
            if render:
                comment.body_display = _render(comment.body_html, coop_urls)


@dataclass
class PostExtras:
    """The last comments (with their authors, oldest first) and the reaction rows of some posts."""

    comments: list[Comment]
    reactions: list[tuple]


def post_extras_statements(of_posts: tuple[str, list], *, user_id: int) -> list[tuple[str, list]]:
    """The two statements that read the extras of the posts matched by ``of_posts`` (SQL on
    ``post_id`` and its parameters, as ``lib.sql.in_ids`` gives): the last ``RECENT_COMMENTS``
    comments of each post, ranked newest first by a window function (SQLite and PostgreSQL
    alike), and the reaction counts per kind with the viewer's own. Plain SQL (``lib.rows``):
    the ORM's window filter and join cost more to build than to run. Read them with
    ``lib.sql.rows_together``, then ``post_extras``."""
    where, params = of_posts
    ranked = (
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY id DESC) AS newest"  # noqa: S608
        f" FROM {Comment._meta.db_table} WHERE {where}"
        f" AND deleted_at IS NULL) AS ranked WHERE newest <= {int(RECENT_COMMENTS)}"
    )
    comments = (
        f"SELECT {_comment_columns().columns} FROM {Comment._meta.db_table} cm"  # noqa: S608 (names and integers only)
        f" LEFT JOIN {User._meta.db_table} author ON author.id = cm.author_id"
        f" WHERE cm.id IN ({ranked}) ORDER BY cm.id"
    )
    return [(comments, list(params)), _reactions_statement(of_posts, user_id=user_id)]


def _reactions_statement(of_posts: tuple[str, list], *, user_id: int) -> tuple[str, list]:
    """The reaction counts per post and kind, with the viewer's own, of the posts ``of_posts`` matches."""
    where, params = of_posts
    return (
        "SELECT post_id, kind, COUNT(*), SUM(CASE WHEN user_id = %s THEN 1 ELSE 0 END)"  # noqa: S608
        f" FROM {Reaction._meta.db_table} WHERE {where} GROUP BY post_id, kind",
        [int(user_id), *params],
    )


def post_extras(rows: list[list[tuple]]) -> PostExtras:
    """The ``PostExtras`` from the rows of ``post_extras_statements``."""
    comment_rows, reaction_rows = rows
    author_field = Comment._meta.get_field("author")
    comments = []
    for comment, author in _comment_columns().instances(comment_rows):
        author_field.set_cached_value(comment, author)
        comments.append(comment)
    return PostExtras(comments=comments, reactions=reaction_rows)


def _comment_columns():
    return joined(connection, Table(Comment, "cm"), Table(User, "author", omit=PERSON_UNSHOWN))


def _attach_reactions(posts: Iterable[Post], *, user_id: int, rows: list[tuple] | None = None) -> None:
    """Set the reaction counts, buttons and the viewer's own reaction on ``posts``, from
    ``rows`` (of ``post_extras_statements``) or read here."""
    posts = list(posts)
    ids = [p.pk for p in posts]
    counts: dict[int, dict[str, int]] = {}
    mine: dict[int, str] = {}
    if rows is None:
        rows = []
        if ids:
            sql, params = _reactions_statement(in_ids(connection, "post_id", ids), user_id=user_id)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
    for post_id, kind, count, by_viewer in rows:
        counts.setdefault(post_id, {})[kind] = count
        if by_viewer:
            mine[post_id] = kind
    # Labels translated once per call, not once per post and button.
    kinds = [(kind, str(label), REACTION_EMOJI[kind]) for kind, label in Reaction.Kind.choices]
    for post in posts:
        post.reaction_counts = counts.get(post.pk, {})
        post.reaction_total = sum(post.reaction_counts.values())
        post.my_reaction = mine.get(post.pk)
        post.reaction_buttons = [
            {
                "kind": kind,
                "label": label,
                "emoji": emoji,
                "count": post.reaction_counts.get(kind, 0),
                "mine": post.my_reaction == kind,
            }
            for kind, label, emoji in kinds
        ]


def _mention_urls(texts: Iterable[str], cooperative_ids: set[int]) -> dict[int, dict[str, str]]:
    """{cooperative id: {handle: profile url}} for the handles written in ``texts``
    that belong to members of that cooperative: only members become links."""
    handles: set[str] = set()
    for text in texts:
        handles |= extract_mentions(text)
    return _mention_urls_for(handles, cooperative_ids)


def _mention_urls_for(handles: set[str], cooperative_ids: set[int]) -> dict[int, dict[str, str]]:
    if not handles or not cooperative_ids:
        return {}
    urls: dict[int, dict[str, str]] = {}
    rows = Membership.objects.filter(
        cooperative_id__in=cooperative_ids, user__handle__in=handles, user__is_active=True
    ).values_list("cooperative_id", "user__handle", "user__code")
    for cooperative_id, handle, code in rows:
        urls.setdefault(cooperative_id, {})[handle.lower()] = url_for_code("accounts:profile", code)
    return urls


def _render(html: str, urls: dict[str, str]) -> SafeString:
    # Sanitised again at display: a stricter allow-list applies to old content too.
    clean = sanitize_rich_text(html)
    return mark_safe(link_mentions(clean, urls) if urls else clean)  # noqa: S308


def mention_candidates(*, cooperative, prefix: str, limit: int = 8) -> list[dict[str, str]]:
    """Members of ``cooperative`` whose handle or name starts with ``prefix``, ignoring accents and case."""
    prefix = fold(prefix.strip().lstrip("@")[:40])
    qs = Membership.objects.filter(cooperative=cooperative, user__is_active=True, user__handle__isnull=False)
    if prefix:
        # search_name starts with the folded display name; handles are lower-case ASCII already.
        qs = qs.filter(Q(user__handle__startswith=prefix) | Q(user__search_name__startswith=prefix))
    rows = qs.order_by("user__handle").values_list("user__handle", "user__display_name")[:limit]
    return [{"handle": handle, "name": name} for handle, name in rows]
