"""Who may read, write or moderate in a cooperative's forum. Every view goes through here.

Members read; members of a cooperative that is not archived write; its animateurs moderate
(pin, lock, move, mark the answer, manage the categories). Anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access, get_cooperative_for
from terrain.forum.models import Category, Reply, Topic
from terrain.forum.tools import FORUM
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code


def get_forum_for(request, code: str, *, need: Need | str = Need.READ) -> CooperativeAccess:
    """A cooperative's forum: its members only (404 for anyone else, or when the forum is off)."""
    access = get_cooperative_for(request, code, need=Need.SEE)
    if not access.can_read:
        raise Http404
    return access.require_tool(FORUM).require(need)


def _cooperative(request, cooperative) -> CooperativeAccess:
    coop = cooperative_access(user=request.user, cooperative=cooperative)
    if not coop.can_read:
        raise Http404
    return coop.require_tool(FORUM)


@dataclass(frozen=True)
class CategoryAccess(Grants):
    needs = frozenset({Need.READ, Need.POST, Need.EDIT})

    category: Category
    cooperative: CooperativeAccess

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_post(self) -> bool:
        return self.cooperative.can_post

    @property
    def can_edit(self) -> bool:
        return self.cooperative.can_animate and self.cooperative.can_post


def get_category_for(request, code: str, *, need: Need | str = Need.READ) -> CategoryAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    category = Category.objects.select_related("cooperative").filter(code=code).first()
    if category is None:
        raise Http404
    return CategoryAccess(category=category, cooperative=_cooperative(request, category.cooperative)).require(need)


@dataclass(frozen=True)
class TopicAccess(Grants):
    needs = frozenset({Need.READ, Need.POST, Need.EDIT, Need.DELETE, Need.ANIMATE})

    topic: Topic
    cooperative: CooperativeAccess
    user_id: int

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def is_author(self) -> bool:
        return self.topic.author_id == self.user_id

    @property
    def can_post(self) -> bool:
        """Reply: a locked topic takes no more replies."""
        return self.cooperative.can_post and self.topic.locked_at is None

    @property
    def can_edit(self) -> bool:
        return self.is_author and self.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return self.cooperative.can_post and (self.is_author or self.cooperative.can_animate)

    @property
    def can_animate(self) -> bool:
        """Pin, lock, move, mark the answer: animateurs, while the cooperative is not archived."""
        return self.cooperative.can_animate and self.cooperative.can_post


def get_topic_for(request, code: str, *, need: Need | str = Need.READ) -> TopicAccess:
    """The topic named by ``code`` if the viewer may read it; 404 otherwise (deleted too)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    topic = (
        Topic.objects.select_related("cooperative", "category", "author", "faq_entry")
        .filter(code=code, deleted_at__isnull=True)
        .first()
    )
    if topic is None:
        raise Http404
    coop = _cooperative(request, topic.cooperative)
    return TopicAccess(topic=topic, cooperative=coop, user_id=request.user.pk).require(need)


@dataclass(frozen=True)
class ReplyAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE, Need.ANIMATE})

    reply: Reply
    topic: TopicAccess

    @property
    def can_read(self) -> bool:
        return self.topic.can_read

    @property
    def can_edit(self) -> bool:
        return self.reply.author_id == self.topic.user_id and self.topic.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return self.topic.cooperative.can_post and (
            self.reply.author_id == self.topic.user_id or self.topic.cooperative.can_animate
        )

    @property
    def can_animate(self) -> bool:
        return self.topic.can_animate


def get_reply_for(request, code: str, *, need: Need | str = Need.READ) -> ReplyAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    reply = (
        Reply.objects.select_related("topic__cooperative", "topic__category", "author")
        .filter(code=code, deleted_at__isnull=True, topic__deleted_at__isnull=True)
        .first()
    )
    if reply is None:
        raise Http404
    coop = _cooperative(request, reply.topic.cooperative)
    topic = TopicAccess(topic=reply.topic, cooperative=coop, user_id=request.user.pk)
    return ReplyAccess(reply=reply, topic=topic).require(need)
