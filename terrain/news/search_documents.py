"""The news in the search (``search.registry``): posts and their comments."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.lib.html import plain_text
from terrain.lib.text import shorten
from terrain.news.models import Comment, Post
from terrain.news.tools import NEWS
from terrain.search.registry import Document, SearchKind, register

POST = "post"
COMMENT = "comment"
TITLE_LENGTH = 120


def _post_document(post: Post) -> Document | None:
    if post.deleted_at:
        return None
    text = plain_text(post.body_html).strip()
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(
        cooperative_id=post.cooperative_id,
        title=shorten(first_line, TITLE_LENGTH),
        body=text,
        url=reverse("news:post_detail", args=[post.code]),
        created_at=post.created_at,
        author_id=post.author_id,
    )


def _comment_document(comment: Comment) -> Document | None:
    post = comment.post
    if comment.deleted_at or post.deleted_at:
        return None
    text = plain_text(comment.body_html).strip()
    return Document(
        cooperative_id=post.cooperative_id,
        title=shorten(text, TITLE_LENGTH),
        body=text,
        url=reverse("news:post_detail", args=[post.code]) + f"#comment-{comment.code}",
        created_at=comment.created_at,
        author_id=comment.author_id,
    )


register(SearchKind(key=POST, label=_("News posts"), tool=NEWS, model=Post, document=_post_document, order=10))
register(SearchKind(key=COMMENT, label=_("Comments"), tool=NEWS, model=Comment, document=_comment_document, order=11))
