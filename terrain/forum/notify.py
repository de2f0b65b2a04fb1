"""Who hears of what happens in the forum: in the app, and by e-mail after the commit.

Called by ``services`` inside their transaction. Only members still in the cooperative are told,
never the person who acted; e-mails go to those who want them (``User.email_notifications``), in
their own language, with a link to stop following the topic.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from terrain.accounts.models import User
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create
from terrain.forum.models import CategorySubscription, Reply, Topic, TopicSubscription
from terrain.lib.html import extract_mentions, plain_text


def mentioned_members(*, html: str, cooperative, before: str = "") -> list[User]:
    """Members of the cooperative named with @handle in ``html`` (and not already in ``before``)."""
    handles = extract_mentions(html) - extract_mentions(before)
    if not handles:
        return []
    return list(User.objects.filter(handle__in=handles, is_active=True, memberships__cooperative=cooperative))


def _members(user_ids, cooperative) -> list[User]:
    return list(User.objects.filter(pk__in=user_ids, is_active=True, memberships__cooperative=cooperative))


def tell_mentioned(*, html: str, before: str = "", topic: Topic, url: str, by) -> list[User]:
    users = mentioned_members(html=html, cooperative=topic.cooperative, before=before)
    notifications_create(
        users=users,
        reason=Notification.Reason.MENTION,
        actor=by,
        cooperative=topic.cooperative,
        summary=topic.title,
        target_url=url,
    )
    return users


def tell_new_reply(*, reply: Reply, by) -> None:
    """The topic's followers (but the mentioned, told already, and the author) hear of a reply."""
    topic = reply.topic
    url = reverse("forum:reply_link", args=[reply.code])
    mentioned = tell_mentioned(html=reply.body_html, topic=topic, url=url, by=by)
    skip = {u.pk for u in mentioned} | {by.pk}
    followers = TopicSubscription.objects.filter(topic=topic, active=True).values("user_id")
    users = [u for u in _members(followers, topic.cooperative) if u.pk not in skip]
    notifications_create(
        users=users,
        reason=Notification.Reason.FORUM_REPLY,
        actor=by,
        cooperative=topic.cooperative,
        summary=topic.title,
        target_url=url,
    )
    _email(users=users, kind="reply", topic=topic, by=by, html=reply.body_html, url=url)


def tell_new_topic(*, topic: Topic, by) -> None:
    url = reverse("forum:topic_detail", args=[topic.code])
    mentioned = tell_mentioned(html=topic.body_html, topic=topic, url=url, by=by)
    skip = {u.pk for u in mentioned} | {by.pk}
    followers = CategorySubscription.objects.filter(category_id=topic.category_id).values("user_id")
    users = [u for u in _members(followers, topic.cooperative) if u.pk not in skip]
    notifications_create(
        users=users,
        reason=Notification.Reason.FORUM_TOPIC,
        actor=by,
        cooperative=topic.cooperative,
        summary=topic.title,
        target_url=url,
    )
    _email(users=users, kind="topic", topic=topic, by=by, html=topic.body_html, url=url)


def _email(*, users: Iterable[User], kind: str, topic: Topic, by, html: str, url: str) -> None:
    users = [u for u in users if u.email_notifications and u.email]
    if not users:
        return
    context = {
        "kind": kind,
        "topic_title": topic.title,
        "cooperative_name": topic.cooperative.name,
        "actor_name": by.display_name,
        "text": plain_text(html)[:600],
        "link": settings.SITE_URL + url,
        "unsubscribe_link": settings.SITE_URL
        + (
            reverse("forum:topic_subscribe", args=[topic.code])
            if kind == "reply"
            else reverse("forum:category_detail", args=[topic.category.code])
        ),
    }

    def send() -> None:
        from terrain.accounts.services import email_send

        for user in users:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                email_send(template="forum/email/new_message", context=context, to=[user.email])

    transaction.on_commit(send)
