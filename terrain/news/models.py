from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped
from terrain.lib.codes import new_code


def post_image_path(instance, filename: str) -> str:
    return f"posts/{new_code()}.{filename.rsplit('.', 1)[-1]}"


class Post(TimeStamped):
    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts")
    # Stored sanitised (nh3); sanitised again when shown.
    body_html = models.TextField(_("text"))
    pinned_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Soft delete: a moderated post leaves a trace for the facilitators.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Random per form shown: the same form sent twice (a double tap, a resent
    # page) finds the first post instead of publishing a second one.
    submission_key = models.CharField(max_length=40, null=True, blank=True, editable=False)
    # Files of the cooperative's library shown under the post as download links.
    attachments = models.ManyToManyField("library.File", blank=True, related_name="posts")

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cooperative", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="news_post_submitted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}"


class PostImage(models.Model):
    code = CodeField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=post_image_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description of the image"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class Comment(TimeStamped):
    """One level deep: a comment answers a post, never another comment."""

    code = CodeField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments")
    body_html = models.TextField(_("comment"))
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submission_key = models.CharField(max_length=40, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="news_comment_submitted_once",
            )
        ]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        SUPPORT = "support", _("Solidarity")
        BRAVO = "bravo", _("Well done")
        THANKS = "thanks", _("Thank you")
        SAD = "sad", _("Sad")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="news_one_reaction_per_member")]


class PostFollow(models.Model):
    """Who hears of new comments on a post: its author and everyone who commented."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="news_follow_unique")]
