"""Every write in the forum goes through these functions (categories: ``services_categories``)."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.feed.services import activities_delete, activity_record
from terrain.forum import notify
from terrain.forum.feed_items import ANSWER_MARKED, TOPIC_CREATED
from terrain.forum.models import (
    TAG_MAX,
    TAGS_PER_TOPIC,
    TITLE_MAX,
    Category,
    ForumRead,
    Reply,
    Tag,
    Topic,
    TopicRead,
    TopicSubscription,
)
from terrain.forum.search_documents import REPLY, TOPIC
from terrain.lib.html import plain_text, sanitize_rich_text
from terrain.search.services import search_index, search_remove

SUBMISSION_KEY_RE = re.compile(r"[A-Za-z0-9-]{8,40}")
# The same text by the same person in the same topic within this delay is one reply sent twice.
REPEAT_WINDOW = timedelta(seconds=30)


def _submission_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if SUBMISSION_KEY_RE.fullmatch(value) else None


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give the topic a title."), code="title_empty")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            _("The title is too long: %(max)s characters at most.") % {"max": TITLE_MAX}, code="title_long"
        )
    return title


def _clean_body(html: str) -> str:
    body = sanitize_rich_text(html)
    if not plain_text(body):
        raise ValidationError(_("Write something before publishing."), code="empty")
    return body


def tag_key(name: str) -> str:
    """A tag as compared: lower case, without accents, single spaces ("Grève " = "greve")."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_tags(text: str) -> list[str]:
    """The tags typed in one field, separated by commas; each once, in the order typed."""
    seen, names = set(), []
    for raw in (text or "").split(","):
        name = " ".join(raw.split()).lstrip("#")
        if name and (key := tag_key(name)) not in seen:
            if len(name) > TAG_MAX:
                raise ValidationError(
                    _("A tag is %(max)s characters at most: “%(tag)s”.") % {"max": TAG_MAX, "tag": name}, code="tag"
                )
            seen.add(key)
            names.append(name)
    if len(names) > TAGS_PER_TOPIC:
        raise ValidationError(_("At most %(max)s tags per topic.") % {"max": TAGS_PER_TOPIC}, code="tags")
    return names


def _set_tags(topic: Topic, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            cooperative_id=topic.cooperative_id, key=tag_key(name), defaults={"name": name}
        )
        tags.append(tag)
    topic.tags.set(tags)


def _follow(topic: Topic, user) -> None:
    """Auto-follow: a member who left the topic on purpose stays out."""
    TopicSubscription.objects.get_or_create(topic=topic, user=user)


def _attach(obj, cooperative, files) -> None:
    """The library files shown under a topic or a reply: its cooperative's own, live ones
    (``library.services.attachable_check`` refuses the others with a ``ValidationError``)."""
    from terrain.library.services import attachable_check

    obj.attachments.set(attachable_check(cooperative=cooperative, files=files))


def _moderated(by, obj, what: str) -> None:
    audit_record(actor=by, action=AuditEntry.Action.MODERATE, target=obj, detail={"what": what})


# --- Topics -----------------------------------------------------------------------


@transaction.atomic
def topic_create(
    *,
    category: Category,
    author,
    title: str,
    body_html: str,
    tags: list[str] = (),
    submission_key: str | None = None,
    attachments=(),
) -> Topic:
    """Open a topic: its author follows it and has read it; the cooperative's feed hears of it.
    ``attachments``: files of the cooperative's library shown under it.

    The same form sent twice (same ``submission_key``) gives back the topic already opened."""
    key = _submission_key(submission_key)
    if key and (existing := Topic.objects.filter(author=author, submission_key=key).first()):
        return existing
    title, body = _clean_title(title), _clean_body(body_html)
    now = timezone.now()
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                cooperative_id=category.cooperative_id,
                category=category,
                author=author,
                title=title,
                body_html=body,
                last_activity_at=now,
                submission_key=key,
            )
    except IntegrityError:  # the same form, sent twice at the same moment
        return Topic.objects.get(author=author, submission_key=key)
    topic.category = category
    _set_tags(topic, list(tags))
    if attachments:
        _attach(topic, category.cooperative, attachments)
    _follow(topic, author)
    TopicRead.objects.create(topic=topic, user=author, read_at=now)
    activity_record(cooperative=category.cooperative, actor=author, verb=TOPIC_CREATED, target=topic)
    search_index(kind=TOPIC, objects=[topic])
    notify.tell_new_topic(topic=topic, by=author)
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, by, title: str, body_html: str, tags: list[str], attachments=None) -> Topic:
    """The author changes the title, text, tags and attached files (None: unchanged); the topic
    then shows "edited"."""
    before = topic.body_html
    topic.title, topic.body_html = _clean_title(title), _clean_body(body_html)
    topic.edited_at = timezone.now()
    topic.save(update_fields=["title", "body_html", "edited_at", "updated_at"])
    _set_tags(topic, tags)
    if attachments is not None:
        _attach(topic, topic.cooperative, attachments)
    search_index(kind=TOPIC, objects=[topic])
    # The replies' documents carry the topic's title.
    search_index(kind=REPLY, objects=topic.replies.filter(deleted_at__isnull=True).select_related("topic"))
    url = reverse("forum:topic_detail", args=[topic.code])
    notify.tell_mentioned(html=topic.body_html, before=before, topic=topic, url=url, by=by)
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic, by) -> None:
    """Soft delete (a trace stays for the animateurs): gone from the lists, the feed and the search."""
    topic.deleted_at, topic.deleted_by, topic.pinned_at = timezone.now(), by, None
    topic.save(update_fields=["deleted_at", "deleted_by", "pinned_at", "updated_at"])
    replies = list(topic.replies.only("pk"))
    activities_delete(verbs=[TOPIC_CREATED], targets=[topic])
    activities_delete(verbs=[ANSWER_MARKED], targets=replies)
    search_remove(kind=TOPIC, ids=[topic.pk])
    search_remove(kind=REPLY, ids=[r.pk for r in replies])
    if by.pk != topic.author_id:
        _moderated(by, topic, "topic_deleted")


@transaction.atomic
def topic_set_pinned(*, topic: Topic, pinned: bool, by) -> Topic:
    topic.pinned_at = timezone.now() if pinned else None
    topic.save(update_fields=["pinned_at"])
    return topic


@transaction.atomic
def topic_set_locked(*, topic: Topic, locked: bool, by) -> Topic:
    """A locked topic stays readable and takes no more replies."""
    topic.locked_at = timezone.now() if locked else None
    topic.save(update_fields=["locked_at"])
    _moderated(by, topic, "topic_locked" if locked else "topic_unlocked")
    return topic


@transaction.atomic
def topic_move(*, topic: Topic, category: Category, by) -> Topic:
    if category.cooperative_id != topic.cooperative_id:
        raise ValidationError(_("A topic moves only to a category of its cooperative."), code="elsewhere")
    topic.category = category
    topic.save(update_fields=["category", "updated_at"])
    search_index(kind=TOPIC, objects=[topic])
    _moderated(by, topic, "topic_moved")
    return topic


@transaction.atomic
def topic_set_subscribed(*, topic: Topic, user, subscribed: bool) -> None:
    TopicSubscription.objects.update_or_create(topic=topic, user=user, defaults={"active": subscribed})


@transaction.atomic
def topic_mark_read(*, topic: Topic, user, until=None) -> None:
    """The member has read the topic up to ``until`` (its last activity by default); never backwards."""
    until = until or topic.last_activity_at
    updated = TopicRead.objects.filter(topic=topic, user=user, read_at__lt=until).update(read_at=until)
    if not updated:
        TopicRead.objects.get_or_create(topic=topic, user=user, defaults={"read_at": until})


@transaction.atomic
def forum_mark_all_read(*, cooperative, user) -> None:
    """Every topic of the cooperative's forum is read, as of now (one row, whatever their number)."""
    ForumRead.objects.update_or_create(cooperative=cooperative, user=user, defaults={"read_at": timezone.now()})


# --- Replies ------------------------------------------------------------------------


@transaction.atomic
def reply_create(*, topic: Topic, author, body_html: str, submission_key: str | None = None, attachments=()) -> Reply:
    """Reply in a topic (not locked): its followers are told, the author follows it from now on.

    A form sent twice (same ``submission_key``), or the same text sent again by the same person
    within ``REPEAT_WINDOW``, gives back the reply already published."""
    key = _submission_key(submission_key)
    if key and (existing := Reply.objects.filter(author=author, submission_key=key).first()):
        return existing
    topic = Topic.objects.select_for_update().select_related("cooperative", "category").get(pk=topic.pk)
    if topic.deleted_at:
        raise ValidationError(_("This topic was deleted."), code="deleted")
    if topic.locked_at:
        raise ValidationError(_("This topic is locked: it takes no more replies."), code="locked")
    body = _clean_body(body_html)
    now = timezone.now()
    repeated = Reply.objects.filter(
        topic=topic, author=author, body_html=body, deleted_at__isnull=True, created_at__gte=now - REPEAT_WINDOW
    ).first()
    if repeated:
        return repeated
    try:
        with transaction.atomic():
            reply = Reply.objects.create(topic=topic, author=author, body_html=body, submission_key=key)
    except IntegrityError:
        return Reply.objects.get(author=author, submission_key=key)
    if attachments:
        _attach(reply, topic.cooperative, attachments)
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=reply.created_at, last_replier=author
    )
    topic.last_activity_at = reply.created_at
    reply.topic = topic
    _follow(topic, author)
    topic_mark_read(topic=topic, user=author, until=reply.created_at)
    search_index(kind=REPLY, objects=[reply])
    notify.tell_new_reply(reply=reply, by=author)
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, by, body_html: str, attachments=None) -> Reply:
    """The author changes the text and the attached files (None: unchanged)."""
    before = reply.body_html
    reply.body_html = _clean_body(body_html)
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body_html", "edited_at", "updated_at"])
    if attachments is not None:
        _attach(reply, reply.topic.cooperative, attachments)
    search_index(kind=REPLY, objects=[reply])
    url = reverse("forum:reply_link", args=[reply.code])
    notify.tell_mentioned(html=reply.body_html, before=before, topic=reply.topic, url=url, by=by)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by) -> None:
    reply.deleted_at, reply.deleted_by = timezone.now(), by
    reply.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    Topic.objects.filter(pk=reply.topic_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    Topic.objects.filter(pk=reply.topic_id, answer=reply).update(answer=None)
    activities_delete(verbs=[ANSWER_MARKED], targets=[reply])
    search_remove(kind=REPLY, ids=[reply.pk])
    if by.pk != reply.author_id:
        _moderated(by, reply, "reply_deleted")


@transaction.atomic
def reply_mark_answer(*, reply: Reply, by) -> Topic:
    """The reply answers its topic ("Solved"); the cooperative's feed hears of it. One answer per topic."""
    topic = Topic.objects.select_for_update().get(pk=reply.topic_id)
    if topic.answer_id == reply.pk:
        return topic
    if topic.answer_id:
        activities_delete(verbs=[ANSWER_MARKED], targets=[Reply(pk=topic.answer_id)])
    topic.answer = reply
    topic.save(update_fields=["answer", "updated_at"])
    activity_record(cooperative=reply.topic.cooperative, actor=by, verb=ANSWER_MARKED, target=reply)
    return topic


@transaction.atomic
def topic_unmark_answer(*, topic: Topic, by) -> Topic:
    if topic.answer_id:
        activities_delete(verbs=[ANSWER_MARKED], targets=[Reply(pk=topic.answer_id)])
        topic.answer = None
        topic.save(update_fields=["answer", "updated_at"])
    return topic


# --- FAQ ----------------------------------------------------------------------------


def topic_faq_entry(topic: Topic):
    """The live FAQ entry made from ``topic``, or None (a deleted entry no longer counts)."""
    entry = topic.faq_entry if topic.faq_entry_id else None
    return entry if entry is not None and entry.deleted_at is None else None


@transaction.atomic
def topic_faq_add(*, topic: Topic, by, theme=None, question: str | None = None, answer_html: str | None = None):
    """Turn an answered topic into an entry of its cooperative's FAQ, linked both ways: the entry
    points at the topic (``source_url``), the topic at the entry (``faq_entry``).

    Defaults: the topic's title as question, the answer reply's text as answer, the FAQ's first
    theme (one named "From the forum" is made when the FAQ has none). Refused (``ValidationError``)
    when the topic has no answer or is already in the FAQ."""
    from terrain.faq.models import QUESTION_MAX, Theme
    from terrain.faq.services import faq_entry_create, theme_create

    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("cooperative", "answer", "faq_entry")
        .get(pk=topic.pk)
    )
    if topic_faq_entry(topic) is not None:
        raise ValidationError(_("This topic is already in the FAQ."), code="already")
    if topic.answer is None or topic.answer.deleted_at is not None:
        raise ValidationError(_("Mark a reply as the answer first."), code="no_answer")
    cooperative = topic.cooperative
    if theme is None:
        theme = Theme.objects.filter(cooperative=cooperative).first() or theme_create(
            cooperative=cooperative, name=_("From the forum"), by=by
        )
    entry = faq_entry_create(
        cooperative=cooperative,
        theme=theme,
        question=(question or topic.title)[:QUESTION_MAX],
        answer_html=answer_html if answer_html is not None else topic.answer.body_html,
        by=by,
        source_url=reverse("forum:topic_detail", args=[topic.code]),
        source_label=topic.title,
    )
    topic.faq_entry = entry
    topic.save(update_fields=["faq_entry", "updated_at"])
    return entry
