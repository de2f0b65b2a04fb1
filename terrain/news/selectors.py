"""Reads of news posts. TEMPORARY minimal version, completed by the news app."""

from __future__ import annotations

from dataclasses import dataclass

from terrain.news.models import Post


@dataclass
class CooperativeStream:
    pinned: list[Post]
    posts: list[Post]
    has_more: bool
    next_cursor: str | None


def cooperative_stream(*, access, before: str | None = None) -> CooperativeStream:
    """The news of a cooperative for a member (``access`` from get_cooperative_for)."""
    posts = list(Post.objects.filter(cooperative=access.cooperative, deleted_at__isnull=True).order_by("-id")[:20])
    return CooperativeStream(pinned=[], posts=posts, has_more=False, next_cursor=None)
