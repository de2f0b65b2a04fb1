"""The forum of a cooperative: categories, topics, replies, tags, who follows what, who read what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped

TITLE_MAX = 150
CATEGORY_NAME_MAX = 80
TAG_MAX = 40
TAGS_PER_TOPIC = 5


class Category(TimeStamped):
    code = CodeField()
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.CASCADE, related_name="forum_categories"
    )
    name = models.CharField(_("name"), max_length=CATEGORY_NAME_MAX)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["cooperative", "position"])]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="forum_category_name_unique")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free word on topics, one per cooperative whatever its case and accents (``key`` is folded)."""

    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=TAG_MAX)
    key = models.CharField(max_length=TAG_MAX)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "key"], name="forum_tag_unique")]

    def __str__(self) -> str:
        return self.name


class Topic(TimeStamped):
    code = CodeField()
    # The category's, kept here so that a cooperative's topics are read without a join.
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    # Stored sanitised (nh3); sanitised again when shown.
    body_html = models.TextField(_("text"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics")
    # Files of the cooperative's library shown under the topic (the library owns them; the forum
    # only links them). Same on Reply.
    attachments = models.ManyToManyField("library.File", blank=True, related_name="forum_topics")
    pinned_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    answer = models.ForeignKey("Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The FAQ entry made from this answered topic (``services.topic_faq_add``); the entry links back
    # through its ``source_url``.
    faq_entry = models.ForeignKey("faq.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    # Moves with each reply: the lists show the most recently active first.
    last_activity_at = models.DateTimeField(db_index=True)
    last_replier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Random per form shown: the same form sent twice publishes one topic.
    submission_key = models.CharField(max_length=40, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("forum topic")
        verbose_name_plural = _("forum topics")
        indexes = [
            models.Index(fields=["cooperative", "-last_activity_at"]),
            models.Index(fields=["category", "-last_activity_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="forum_topic_submitted_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.answer_id is not None


class Reply(TimeStamped):
    code = CodeField()
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body_html = models.TextField(_("reply"))
    attachments = models.ManyToManyField("library.File", blank=True, related_name="forum_replies")
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submission_key = models.CharField(max_length=40, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("forum reply")
        verbose_name_plural = _("forum replies")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="forum_reply_submitted_once",
            )
        ]


class TopicSubscription(models.Model):
    """Who hears of new replies. ``active`` False: the member left the topic, and replying again
    does not bring them back (only the "Follow" button does)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="forum_topic_subscription_unique")]


class CategorySubscription(models.Model):
    """Who hears of new topics in a category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "user"], name="forum_category_subscription_unique")]


class TopicRead(models.Model):
    """Until when a member has read a topic: its replies after ``read_at`` are new to them."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forum_topic_read_unique")]


class ForumRead(models.Model):
    """ "Mark all as read" in a cooperative's forum: every topic quiet since ``read_at`` is read.
    One row instead of one per topic; a topic's own ``TopicRead`` counts when it is later."""

    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cooperative"], name="forum_read_unique")]
