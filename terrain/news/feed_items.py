"""The news in the feed (``feed.items``): a new post, a new comment.

A new post is on most feed pages: its rows, its last comments and its reactions are read in
plain SQL in the same round trip as the page's activities (``statements``), and its card comes
from the card cache (``news.cards.feed_card``). The comments of a post on the page join its
card (``group``); comments on a post whose own card is not on the page share one card.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.accounts.models import PERSON_UNSHOWN, User
from terrain.feed.items import ItemKind, LoadRequest, register
from terrain.lib.rows import Table, joined
from terrain.lib.sql import Statement
from terrain.news.models import Comment, Post
from terrain.news.tools import NEWS

POST_PUBLISHED = "post_published"
COMMENT_ADDED = "comment_added"
# A new post's card, under the line saying who commented on it since.
COMMENTED_POST_TEMPLATE = "feed/items/_commented_post.html"
COMMENT_TEMPLATE = "feed/items/_comment_added.html"


def _posts_select():
    return joined(connection, Table(Post, "p"), Table(User, "post_author", omit=PERSON_UNSHOWN))


def _posts_statements(of_targets: Statement, user_id: int) -> list[Statement]:
    """The posts of the page with their authors, their last comments and their reactions."""
    from terrain.news.selectors import post_extras_statements

    where, params = of_targets
    posts = (
        f"SELECT {_posts_select().columns} FROM {Post._meta.db_table} p"  # noqa: S608 (names)
        f" LEFT JOIN {User._meta.db_table} post_author ON post_author.id = p.author_id WHERE p.id IN ({where})",
        list(params),
    )
    return [posts, *post_extras_statements((f"post_id IN ({where})", list(params)), user_id=user_id)]


def _posts_load(request: LoadRequest, kind: ItemKind) -> None:
    """Each activity's ``target`` (also ``post``): its post prepared for the card cache
    (``news.selectors.posts_prepare`` with ``cards=True``), from the rows read with the page."""
    from terrain.news.selectors import post_extras, posts_prepare

    post_rows, *extra_rows = request.rows
    author_field = Post._meta.get_field("author")
    posts = {}
    for post, author in _posts_select().instances(post_rows):
        author_field.set_cached_value(post, author)
        posts[post.pk] = post
    for activity in request.activities:
        post = activity.target = activity.post = posts.get(activity.target_id)
        if post is not None:
            # The activity's cooperative is the post's: no query to reach it from the post.
            post.cooperative = activity.cooperative
    if not request.cards:
        return
    shown = list(posts.values())
    accesses = {p.cooperative_id: request.access(p.cooperative) for p in shown}
    posts_prepare(posts=shown, user_id=request.user.pk, accesses=accesses, cards=True, extras=post_extras(extra_rows))


def _post_render(context, kind: ItemKind, activity, group: Sequence) -> str:
    from terrain.news.cards import feed_card

    card = feed_card(context, activity.post)
    if not group:
        return card
    with context.push(activity=group[-1], comments=group, card=card):
        return get_template(COMMENTED_POST_TEMPLATE).template.render(context)


def _comments_select():
    return joined(
        connection,
        Table(Comment, "cm"),
        Table(User, "comment_author", omit=PERSON_UNSHOWN),
        Table(Post, "p"),
        Table(User, "post_author", omit=PERSON_UNSHOWN),
    )


def _comments_statements(of_targets: Statement, user_id: int) -> list[Statement]:
    """The comments of the page with their authors, their posts and the posts' authors."""
    where, params = of_targets
    return [
        (
            f"SELECT {_comments_select().columns} FROM {Comment._meta.db_table} cm"  # noqa: S608 (names)
            f" LEFT JOIN {User._meta.db_table} comment_author ON comment_author.id = cm.author_id"
            f" JOIN {Post._meta.db_table} p ON p.id = cm.post_id"
            f" LEFT JOIN {User._meta.db_table} post_author ON post_author.id = p.author_id WHERE cm.id IN ({where})",
            list(params),
        )
    ]


def _comments_load(request: LoadRequest, kind: ItemKind) -> None:
    """Each activity's ``target`` (also ``comment``) with its author, and its post (``post``) with
    its author, from the rows read with the page; the comments' ``body_display``."""
    from terrain.news.selectors import comments_prepare

    (rows,) = request.rows
    comment_author, post_author = Comment._meta.get_field("author"), Post._meta.get_field("author")
    comments = {}
    for comment, author, post, its_author in _comments_select().instances(rows):
        comment_author.set_cached_value(comment, author)
        post_author.set_cached_value(post, its_author)
        comment.post = post
        comments[comment.pk] = comment
    for activity in request.activities:
        comment = activity.target = activity.comment = comments.get(activity.target_id)
        activity.post = comment.post if comment is not None else None
        if comment is not None:
            comment.post.cooperative = activity.cooperative
    if request.cards:
        comments_prepare(comments=[a.comment for a in request.activities if a.comment is not None])


def _comment_render(context, kind: ItemKind, activity, group: Sequence) -> str:
    with context.push(activity=activity, comments=group):
        return get_template(COMMENT_TEMPLATE).template.render(context)


def _post_url(activity) -> str:
    return reverse("news:post_detail", args=[activity.post.code])


def _comment_url(activity) -> str:
    return f"{reverse('news:post_detail', args=[activity.post.code])}#comment-{activity.comment.code}"


register(
    ItemKind(
        verb=POST_PUBLISHED,
        label=_("published a post"),
        model=Post,
        broadcast=True,
        statements=_posts_statements,
        load=_posts_load,
        render=_post_render,
        group=lambda activity: (POST_PUBLISHED, activity.target_id),
        leads=True,
        url=_post_url,
        tool=NEWS,
    )
)
register(
    ItemKind(
        verb=COMMENT_ADDED,
        label=_("commented"),
        model=Comment,
        statements=_comments_statements,
        load=_comments_load,
        render=_comment_render,
        group=lambda activity: (POST_PUBLISHED, activity.comment.post_id),
        url=_comment_url,
        tool=NEWS,
    )
)
