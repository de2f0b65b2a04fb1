"""Reads of the forum, for one viewer: lists with what is new to them, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery

from terrain.forum.models import (
    Category,
    CategorySubscription,
    ForumRead,
    Reply,
    Tag,
    Topic,
    TopicRead,
    TopicSubscription,
)

TOPICS_PER_PAGE = 25
REPLIES_PER_PAGE = 20


def read_threshold(*, access, user) -> datetime | None:
    """Before this moment, everything in the cooperative's forum counts as read by ``user``:
    their last "mark all as read", else the day they joined (one query)."""
    mark = ForumRead.objects.filter(cooperative=access.cooperative, user=user).values_list("read_at", flat=True).first()
    joined = access.membership.joined_at if access.membership else None
    return max(d for d in (mark, joined) if d) if (mark or joined) else None


def _seen_until(read_at, threshold):
    return max(d for d in (read_at, threshold) if d) if (read_at or threshold) else None


def categories_of(cooperative) -> list[Category]:
    """The categories in their order, each with ``topic_count`` (topics not deleted)."""
    return list(
        Category.objects.filter(cooperative=cooperative).annotate(
            topic_count=Count("topics", filter=Q(topics__deleted_at__isnull=True))
        )
    )


def unread_by_category(*, access, user, threshold) -> dict[int, int]:
    """How many topics of each category have something the viewer has not read (one query);
    ``threshold`` from ``read_threshold``."""
    topics = Topic.objects.filter(cooperative=access.cooperative, deleted_at__isnull=True).annotate(
        read_at=Subquery(TopicRead.objects.filter(topic=OuterRef("pk"), user=user).values("read_at")[:1])
    )
    if threshold is not None:
        topics = topics.filter(last_activity_at__gt=threshold)
    topics = topics.filter(Q(read_at__isnull=True) | Q(last_activity_at__gt=F("read_at")))
    rows = topics.order_by().values("category_id").annotate(n=Count("id")).values_list("category_id", "n")
    return dict(rows)


def tags_in_use(cooperative) -> list[Tag]:
    return list(
        Tag.objects.filter(cooperative=cooperative)
        .annotate(topic_count=Count("topics", filter=Q(topics__deleted_at__isnull=True)))
        .filter(topic_count__gt=0)
    )


def followed_category_ids(*, user, cooperative) -> set[int]:
    return set(
        CategorySubscription.objects.filter(user=user, category__cooperative=cooperative).values_list(
            "category_id", flat=True
        )
    )


_UNKNOWN = object()


def topics_page(
    *, access, user, category=None, tag=None, number=None, per_page: int = TOPICS_PER_PAGE, threshold=_UNKNOWN
) -> Page:
    """A page of topics, pinned first then the most recently active, each with ``is_unread`` (new
    activity since the viewer read it) and ``is_new`` (never opened, started since)."""
    topics = (
        Topic.objects.filter(cooperative=access.cooperative, deleted_at__isnull=True)
        .select_related("author", "category", "last_replier")
        .prefetch_related("tags")
        .annotate(read_at=Subquery(TopicRead.objects.filter(topic=OuterRef("pk"), user=user).values("read_at")[:1]))
        .order_by(F("pinned_at").desc(nulls_last=True), "-last_activity_at", "-id")
    )
    if category is not None:
        topics = topics.filter(category=category)
    if tag is not None:
        topics = topics.filter(tags=tag)
    page = Paginator(topics, per_page).get_page(number)
    if threshold is _UNKNOWN:
        threshold = read_threshold(access=access, user=user)
    for topic in page.object_list:
        seen = _seen_until(topic.read_at, threshold)
        topic.is_unread = seen is None or topic.last_activity_at > seen
        topic.is_new = topic.read_at is None and (threshold is None or topic.created_at > threshold)
    return page


@dataclass
class TopicView:
    topic: Topic
    replies: Page
    answer: Reply | None
    subscribed: bool
    # The newest activity shown: the viewer has read the topic up to there.
    read_until: datetime


def topic_for_display(*, access, user, number=None, per_page: int = REPLIES_PER_PAGE) -> TopicView:
    """The topic, a page of its replies (each with ``is_unread``), its answer apart; without a page
    number, the page of the first reply the viewer has not read."""
    topic = access.topic
    threshold = read_threshold(access=access.cooperative, user=user)
    read_at = TopicRead.objects.filter(topic=topic, user=user).values_list("read_at", flat=True).first()
    seen = _seen_until(read_at, threshold)
    replies = Reply.objects.filter(topic=topic, deleted_at__isnull=True).select_related("author")
    if number is None and seen is not None:
        before = replies.filter(created_at__lte=seen).count()
        unread = replies.filter(created_at__gt=seen).exclude(author=user).exists()
        if unread:
            number = before // per_page + 1
    page = Paginator(replies, per_page).get_page(number)
    for reply in page.object_list:
        reply.is_unread = reply.author_id != user.pk and (seen is None or reply.created_at > seen)
        reply.is_answer = reply.pk == topic.answer_id
    answer = None
    if topic.answer_id:
        answer = replies.filter(pk=topic.answer_id).first()
    _attachments_load(topic, [*page.object_list, *([answer] if answer else [])])
    shown = [r.created_at for r in page.object_list]
    read_until = max(shown) if shown and page.has_next() else topic.last_activity_at
    subscribed = TopicSubscription.objects.filter(topic=topic, user=user, active=True).exists()
    topic.is_unread_body = read_at is None and (threshold is None or topic.created_at > threshold)
    return TopicView(topic=topic, replies=page, answer=answer, subscribed=subscribed, read_until=read_until)


def _attachments_load(topic: Topic, replies: list[Reply]) -> None:
    """Set ``attachment_list`` (live library files) on the topic and on each reply shown: two
    queries whatever the number of replies; none when the cooperative's library is off."""
    topic.attachment_list = []
    for reply in replies:
        reply.attachment_list = []
    if not topic.cooperative.tool_on("library"):
        return
    from terrain.library.selectors import attachments_by

    topic.attachment_list = attachments_by(Topic.attachments, [topic.pk]).get(topic.pk, [])
    if replies:
        found = attachments_by(Reply.attachments, {r.pk for r in replies})
        for reply in replies:
            reply.attachment_list = found.get(reply.pk, [])


def reply_page_number(reply: Reply, per_page: int = REPLIES_PER_PAGE) -> int:
    """The page of its topic where ``reply`` stands."""
    before = Reply.objects.filter(topic_id=reply.topic_id, deleted_at__isnull=True).filter(
        Q(created_at__lt=reply.created_at) | Q(created_at=reply.created_at, pk__lt=reply.pk)
    )
    return before.count() // per_page + 1


def other_categories(category: Category) -> list[Category]:
    return list(Category.objects.filter(cooperative_id=category.cooperative_id).exclude(pk=category.pk))
