"""Reads of news posts and comments, ready for display.

Cards need a lot (author, images, the last comments, reaction counts, the
viewer's own reaction, which @mentions to link, what the viewer may do):
``posts_prepare`` loads all of it for a list of posts in a fixed number of
queries, whatever the number of posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Q

from terrain.accounts.models import PERSON_UNSHOWN, User
from terrain.cooperatives.access import CooperativeAccess
from terrain.cooperatives.models import Membership
from terrain.lib.cursor import decode_cursor, encode_cursor
from terrain.lib.html import extract_mentions
from terrain.lib.rows import Table, joined
from terrain.lib.sql import in_ids, rows_together
from terrain.lib.text import fold
from terrain.lib.urls import url_for_code
from terrain.library.models import File as LibraryFile
from terrain.library.models import FileVersion
from terrain.news.access import CommentAccess, PostAccess
from terrain.news.cards import cached_cards, card_keys, post_cards, render_text
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
    comment.body_display = render_text(comment.body_html, urls.get(cooperative_id, {}))
    return comment


def comments_prepare(*, comments: Sequence[Comment]) -> None:
    """Set ``body_display`` on comments shown outside their post's card (the feed).
    Each comment's ``post`` must be loaded."""
    comments = [c for c in comments if c is not None]
    if not comments:
        return
    urls = _mention_urls([c.body_html for c in comments], {c.post.cooperative_id for c in comments})
    for comment in comments:
        comment.body_display = render_text(comment.body_html, urls.get(comment.post.cooperative_id, {}))


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

    With ``cards`` (the feed: ``news.cards``), each post gets instead of the
    display fields its ``card`` (the value its card shows, ``news.cards.post_cards``),
    its ``card_key`` (a hash of that value) and ``card_skeleton`` when its card is
    cached (else None); texts are rendered only when a skeleton is.

    ``extras`` gives the last comments, the reaction counts and the images of the posts when
    the caller read them already (``post_extras_statements``, sent with its own reads).
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

    images: dict[int, list] = {}
    image_rows = extras.images if extras is not None else None
    if image_rows is None:
        image_rows = PostImage.objects.filter(post_id__in=ids).order_by("position", "id")
    for image in image_rows:
        images.setdefault(image.post_id, []).append(image)
    attachments: dict[int, list] = {}
    attachment_rows = extras.attachments if extras is not None else None
    if attachment_rows is None:
        attachment_rows = _attachment_rows(ids)
    for attachment in attachment_rows:
        attachments.setdefault(attachment.post_id, []).append(attachment)
    # The members each card mentions, as links: part of what the card shows (its value).
    handles = {
        post.pk: set().union(_mentioned(post.body_html), *(_mentioned(c.body_html) for c in by_post.get(post.pk, ())))
        for post in posts
    }
    urls = _mention_urls_for(set().union(*handles.values()), {p.cooperative_id for p in posts})
    mentions = {
        post.pk: {h: url for h in handles[post.pk] if (url := urls.get(post.cooperative_id, {}).get(h))}
        for post in posts
    }

    cached: dict = {}
    if cards:
        values = post_cards(posts, comments=by_post, images=images, mentions=mentions, attachments=attachments)
        keys = card_keys(values)
        for post in posts:
            post.card = values[post.pk]
            post.card_key = keys[post.pk]
        cached = cached_cards(posts)

    _attach_reactions(posts, user_id=user_id, rows=reaction_rows)
    for post in posts:
        post.access = PostAccess(post=post, cooperative=accesses[post.cooperative_id], user_id=user_id)
        post.comments_shown = by_post.get(post.pk, [])
        post.more_comments = max(post.comment_count - len(post.comments_shown), 0)
        for comment in post.comments_shown:
            comment.post = post
            comment.access = CommentAccess(comment=comment, post=post.access)
        if cards:
            # The card is rendered from its value (``news.cards``): nothing else to show here.
            post.card_skeleton = cached.get(post.pk)
            continue
        links = mentions[post.pk]
        post.body_display = render_text(post.body_html, links)
        post.image_list = images.get(post.pk, [])
        post.attachment_list = attachments.get(post.pk, [])
        for comment in post.comments_shown:
            comment.body_display = render_text(comment.body_html, links)


def _attachment_rows(post_ids) -> list[AttachmentRow]:
    """The library files attached to the posts ``post_ids`` (one query)."""
    if not post_ids:
        return []
    rows = (
        Post.attachments.through.objects.filter(post_id__in=post_ids, file__deleted_at__isnull=True)
        .order_by("post_id", "file__name", "file_id")
        .values_list("post_id", "file__code", "file__name", "file__current_version__size")
    )
    return [AttachmentRow(p, c, n, size or 0) for p, c, n, size in rows]


_NO_MENTION: frozenset[str] = frozenset()


def _mentioned(html: str) -> frozenset[str]:
    """The handles a text mentions: the same texts come back on every page of the feed."""
    return _mentions_in(html) if "@" in html else _NO_MENTION


@lru_cache(maxsize=1024)
def _mentions_in(html: str) -> frozenset[str]:
    return frozenset(extract_mentions(html))


@dataclass
class PostExtras:
    """The last comments (with their authors, oldest first), the reaction rows and the images
    (``ImageRow``, in order) of some posts."""

    comments: list[Comment]
    reactions: list[tuple]
    images: list[ImageRow] | None = None
    attachments: list[AttachmentRow] | None = None


class AttachmentRow(NamedTuple):
    """What a card shows of a library file attached to a post (``Post.attachments``)."""

    post_id: int
    code: str
    name: str
    size: int


class ImageRow(NamedTuple):
    """What a card shows of a post's picture (``PostImage``)."""

    post_id: int
    code: str
    width: int
    height: int
    alt_text: str


def post_extras_statements(of_posts: tuple[str, list], *, user_id: int) -> list[tuple[str, list]]:
    """The statements that read the extras of the posts matched by ``of_posts`` (SQL on
    ``post_id`` and its parameters, as ``lib.sql.in_ids`` gives): the last ``RECENT_COMMENTS``
    comments of each post, ranked newest first by a window function (SQLite and PostgreSQL
    alike), the reaction counts per kind with the viewer's own, and what the cards show of
    the posts' pictures (part of a card's value, ``news.cards``). Plain SQL (``lib.rows``):
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
    images = (
        f"SELECT post_id, code, width, height, alt_text FROM {PostImage._meta.db_table}"  # noqa: S608 (names only)
        f" WHERE {where} ORDER BY post_id, position, id"
    )
    attachments = (
        "SELECT pa.post_id, f.code, f.name, COALESCE(v.size, 0)"  # noqa: S608 (names only)
        f" FROM {Post.attachments.through._meta.db_table} pa"
        f" JOIN {LibraryFile._meta.db_table} f ON f.id = pa.file_id"
        f" LEFT JOIN {FileVersion._meta.db_table} v ON v.id = f.current_version_id"
        f" WHERE pa.{where} AND f.deleted_at IS NULL ORDER BY pa.post_id, f.name, f.id"
    )
    return [
        (comments, list(params)),
        _reactions_statement(of_posts, user_id=user_id),
        (images, list(params)),
        (attachments, list(params)),
    ]


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
    comment_rows, reaction_rows, image_rows, attachment_rows = rows
    author_field = Comment._meta.get_field("author")
    comments = []
    for comment, author in _comment_columns().instances(comment_rows):
        author_field.set_cached_value(comment, author)
        comments.append(comment)
    return PostExtras(
        comments=comments,
        reactions=reaction_rows,
        images=[ImageRow(*row) for row in image_rows],
        attachments=[AttachmentRow(*row) for row in attachment_rows],
    )


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


def mention_candidates(*, cooperative, prefix: str, limit: int = 8) -> list[dict[str, str]]:
    """Members of ``cooperative`` whose handle or name starts with ``prefix``, ignoring accents and case."""
    prefix = fold(prefix.strip().lstrip("@")[:40])
    qs = Membership.objects.filter(cooperative=cooperative, user__is_active=True, user__handle__isnull=False)
    if prefix:
        # search_name starts with the folded display name; handles are lower-case ASCII already.
        qs = qs.filter(Q(user__handle__startswith=prefix) | Q(user__search_name__startswith=prefix))
    rows = qs.order_by("user__handle").values_list("user__handle", "user__display_name")[:limit]
    return [{"handle": handle, "name": name} for handle, name in rows]
