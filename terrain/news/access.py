"""Who may see, edit or moderate a news post or a comment. Every view goes through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.news.models import Comment, Post
from terrain.news.tools import NEWS


@dataclass(frozen=True)
class PostAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    post: Post
    cooperative: CooperativeAccess
    user_id: int

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def is_author(self) -> bool:
        return self.post.author_id == self.user_id

    @property
    def can_edit(self) -> bool:
        return self.is_author and self.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return (self.is_author and self.cooperative.can_read) or self.cooperative.can_animate

    @property
    def can_moderate(self) -> bool:
        return self.cooperative.can_animate

    @property
    def can_comment(self) -> bool:
        return self.cooperative.can_post


def get_post_for(request, code: str, *, need: Need | str = Need.READ) -> PostAccess:
    """The post named by ``code`` if the viewer may read it; 404 otherwise (hides existence)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    post = Post.objects.select_related("cooperative", "author").filter(code=code, deleted_at__isnull=True).first()
    if post is None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=post.cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(NEWS)
    return PostAccess(post=post, cooperative=coop, user_id=request.user.pk).require(need)


@dataclass(frozen=True)
class CommentAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    comment: Comment
    post: PostAccess

    @property
    def can_read(self) -> bool:
        return self.post.can_read

    @property
    def can_edit(self) -> bool:
        return self.comment.author_id == self.post.user_id and self.post.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return self.comment.author_id == self.post.user_id or self.post.cooperative.can_animate


def get_comment_for(request, code: str, *, need: Need | str = Need.READ) -> CommentAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    comment = (
        Comment.objects.select_related("post__cooperative", "author")
        .filter(code=code, deleted_at__isnull=True, post__deleted_at__isnull=True)
        .first()
    )
    if comment is None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=comment.post.cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(NEWS)
    access = CommentAccess(
        comment=comment, post=PostAccess(post=comment.post, cooperative=coop, user_id=request.user.pk)
    )
    return access.require(need)
