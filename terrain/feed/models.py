"""The activity feed and notifications.

An ``Activity`` is written once per event, of a kind that an app registered
(``feed.items``: a verb, how to load its targets, how to render its card). The feed is read, not copied:
events meant for a whole cooperative (``broadcast``) are fetched through the
cooperatives a member belongs to, at read time, so a post in a cooperative of
20,000 members costs one row, and leaving a cooperative hides its events at
once. Events meant for a few people (a comment, for the followers of its
post) are fanned out on write as ``Notification`` rows flagged ``in_feed``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField


class Activity(models.Model):
    # The primary key orders the feed (newest = highest) and is the keyset
    # cursor; it never appears in a URL unsigned.
    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The kind of item (``feed.items``: each app registers its own) and the primary key of its
    # target, a row of the kind's model: a post, a comment, a workshop message. No foreign key:
    # the kind loads the targets of a page in bulk, and whoever deletes a target deletes its
    # activities (``feed.services.activities_delete``); a target gone anyway hides its item.
    verb = models.CharField(max_length=40)
    broadcast = models.BooleanField(default=False)
    target_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(
                fields=["cooperative", "-id"], condition=Q(broadcast=True), name="feed_activity_broadcast_idx"
            ),
            # The activities of a target, when it is deleted or edited.
            models.Index(fields=["target_id"], condition=Q(target_id__isnull=False), name="feed_activity_target_idx"),
        ]

    @property
    def kind(self):
        """The registered kind of this activity (``feed.items``), or None."""
        from terrain.feed.items import kind_of

        return kind_of(self.verb)

    def get_verb_display(self) -> str:
        from terrain.feed.items import verb_label

        return verb_label(self.verb)


class Notification(models.Model):
    class Reason(models.TextChoices):
        COMMENT = "comment", _("A new comment on a post you follow")
        MENTION = "mention", _("You were mentioned")
        JOIN_REQUEST = "join_request", _("Someone asks to join")
        JOIN_APPROVED = "join_approved", _("Your request was approved")
        JOIN_REFUSED = "join_refused", _("Your request was declined")
        INVITED = "invited", _("You were invited to a cooperative")
        ROLE_CHANGED = "role_changed", _("Your role changed")
        # Communication workshop (atelier): these carry a summary and a link.
        MESSAGE_SUBMITTED = "message_submitted", _("A message awaits your approval")
        CHANGES_REQUESTED = "changes_requested", _("Changes were requested on your message")
        MESSAGE_APPROVED = "message_approved", _("Your message was approved")
        MESSAGE_COMMENTED = "message_commented", _("A new comment on a message")
        MESSAGE_PUBLISHED = "message_published", _("Your message was published")
        PUBLICATION_FAILED = "publication_failed", _("A publication failed")
        ACCOUNT_BROKEN = "account_broken", _("A connected account must be reconnected")
        RELAY_REQUEST = "relay_request", _("A post to relay")
        # The cooperative toolbox: these carry a summary and a link.
        FORUM_REPLY = "forum_reply", _("A new reply in a topic you follow")
        FORUM_TOPIC = "forum_topic", _("A new topic in a forum you follow")
        FAQ_PROPOSAL = "faq_proposal", _("A question was proposed for the FAQ")
        FAQ_ANSWERED = "faq_answered", _("Your question was answered")
        FAQ_DECLINED = "faq_declined", _("Your question was declined")
        TRACT_SHARED = "tract_shared", _("A tract was offered to your cooperative")
        # Join requests (adhésions) from the public sites: these carry a summary and a link.
        ADHESION_NEW = "adhesion_new", _("Someone asks to join your union")
        ADHESION_WAITING = "adhesion_waiting", _("A join request is waiting")
        ELECTION_STEP = "election_step", _("A step of an election is near")
        # The inbox: carries a summary and a link.
        INBOX_CRISIS = "inbox_crisis", _("A crisis was detected in the inbox")
        INBOX_READ_FAILED = "inbox_read_failed", _("An account's inbox cannot be read")

    code = CodeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # For notifications not about a post or a cooperative: a plain-text line and
    # the page it leads to (a path on this site, never an outside address).
    summary = models.CharField(max_length=200, blank=True)
    target_url = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    join_request = models.ForeignKey(
        "cooperatives.JoinRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Shown in the activity feed as well as on the notifications page.
    in_feed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-id"], name="feed_notif_user_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="feed_notif_unread_idx"),
            models.Index(fields=["user", "-activity"], condition=Q(in_feed=True), name="feed_notif_in_feed_idx"),
        ]
