"""The forum in the feed (``feed.items``): a new topic, and a reply marked as the answer.

Both are heard of by the whole cooperative (``broadcast``) and hidden where the forum is off.
A deleted topic or reply takes its activities away (``services``), so a card never shows one.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register
from terrain.forum.models import Reply, Topic
from terrain.forum.tools import FORUM

TOPIC_CREATED = "forum_topic_created"
ANSWER_MARKED = "forum_answer_marked"


def _topic_url(activity) -> str:
    return reverse("forum:topic_detail", args=[activity.target.code])


def _answer_url(activity) -> str:
    return reverse("forum:reply_link", args=[activity.target.code])


register(
    ItemKind(
        verb=TOPIC_CREATED,
        label=_("started a topic in the forum"),
        model=Topic,
        broadcast=True,
        related=("category",),
        template="forum/_feed_topic.html",
        url=_topic_url,
        tool=FORUM,
    )
)
register(
    ItemKind(
        verb=ANSWER_MARKED,
        label=_("marked a reply as the answer"),
        model=Reply,
        broadcast=True,
        related=("topic", "author"),
        template="forum/_feed_answer.html",
        url=_answer_url,
        tool=FORUM,
    )
)
