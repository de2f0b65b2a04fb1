"""The FAQ of a cooperative: themes, entries (question and answer), and the questions members propose.

An entry of a structure's cooperative may be offered to the cooperatives of the structures below
it (``offered_at``): they read it live, marked with its origin, and each may hide it for itself
(``HiddenEntry``). Edits are guarded by ``version`` (optimistic locking): a save made on an older
version is refused, never silently written over another facilitator's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped

QUESTION_MAX = 300


class Theme(TimeStamped):
    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="faq_themes")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("FAQ theme")
        verbose_name_plural = _("FAQ themes")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["cooperative", "position"])]

    def __str__(self) -> str:
        return self.name


class Entry(TimeStamped):
    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="faq_entries")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="entries")
    question = models.CharField(_("question"), max_length=QUESTION_MAX)
    # Stored sanitised (nh3); sanitised again when shown.
    answer_html = models.TextField(_("answer"))
    position = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every save; a save made on another version is refused (services.EntryConflict).
    version = models.PositiveIntegerField(default=1)
    # Offered to the cooperatives of the structures below this cooperative's structure.
    offered_at = models.DateTimeField(null=True, blank=True)
    # Where the entry comes from, e.g. the forum topic it answers (a link both ways, set by that app).
    source_url = models.CharField(max_length=500, blank=True, default="")
    source_label = models.CharField(max_length=200, blank=True, default="")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["cooperative", "theme", "position"]),
            models.Index(fields=["offered_at", "cooperative"]),
        ]

    def __str__(self) -> str:
        return self.question


class HiddenEntry(models.Model):
    """An offered entry that a sub-structure's cooperative chose not to show."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="hidden_in")
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "cooperative"], name="faq_hidden_once")]


class Proposal(TimeStamped):
    """A question a member proposes; a facilitator answers it (it becomes an entry) or declines it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("question"), max_length=QUESTION_MAX)
    context = models.TextField(_("context"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    entry = models.ForeignKey(Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("proposed question")
        verbose_name_plural = _("proposed questions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["cooperative", "status"])]

    def __str__(self) -> str:
        return self.question
