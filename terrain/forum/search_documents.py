"""The forum in the search (``search.registry``): topics (title and first message) and replies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.forum.models import Reply, Topic
from terrain.forum.tools import FORUM
from terrain.lib.html import plain_text
from terrain.search.registry import Document, SearchKind, register

TOPIC = "topic"
REPLY = "reply"


def _topic_document(topic: Topic) -> Document | None:
    if topic.deleted_at:
        return None
    return Document(
        cooperative_id=topic.cooperative_id,
        title=topic.title,
        body=plain_text(topic.body_html),
        url=reverse("forum:topic_detail", args=[topic.code]),
        created_at=topic.created_at,
        author_id=topic.author_id,
    )


def _reply_document(reply: Reply) -> Document | None:
    topic = reply.topic
    if reply.deleted_at or topic.deleted_at:
        return None
    return Document(
        cooperative_id=topic.cooperative_id,
        title=topic.title,
        body=plain_text(reply.body_html),
        url=reverse("forum:reply_link", args=[reply.code]),
        created_at=reply.created_at,
        author_id=reply.author_id,
    )


register(SearchKind(key=TOPIC, label=_("Forum topics"), tool=FORUM, model=Topic, document=_topic_document, order=20))
register(SearchKind(key=REPLY, label=_("Forum replies"), tool=FORUM, model=Reply, document=_reply_document, order=21))
