"""The communication workshop (atelier): plan, write, approve, schedule, publish.

A structure has one :class:`Strategy` (audiences, goals, cadence per network,
writers and approvers, editorial line) and a lexicon of its acronyms. It
connects accounts on networks (:class:`ConnectedAccount`, secrets encrypted at
rest). A :class:`Message` is written once, with a variant per network where
needed, goes through the approval workflow, and is published to each target
account by one :class:`Publication`: a state machine stored on its row, claimed
with a conditional UPDATE, so that a crash or a retry never publishes twice.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from encrypted_fields.fields import EncryptedJSONField

from terrain.core.models import CodeField, TimeStamped
from terrain.lib.codes import new_code
from terrain.lib.text import shorten
from terrain.networks.registry import choices as network_choices


class Goal(models.TextChoices):
    VISIBILITY = "visibility", _("Be visible")
    MEMBERSHIP = "membership", _("Win new members")
    ELECTIONS = "elections", _("Workplace elections")
    MOBILISATION = "mobilisation", _("Mobilise")
    INFORMATION = "information", _("Inform")


class Strategy(TimeStamped):
    structure = models.OneToOneField("structures.Structure", on_delete=models.CASCADE, related_name="strategy")
    editorial_line = models.TextField(_("editorial line"), max_length=4000, blank=True)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    # Who writes and who approves; officials of the structure (and above) always may.
    writers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("writers"))
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("approvers")
    )
    approval_required = models.BooleanField(_("messages need approval before publication"), default=True)

    class Meta:
        verbose_name = _("communication strategy")
        verbose_name_plural = _("communication strategies")

    def __str__(self) -> str:
        return str(self.structure)


class Audience(models.Model):
    code = CodeField()
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="audiences")
    name = models.CharField(_("audience"), max_length=80)  # adhérents, salarié·es, cadres, public, journalistes
    networks = models.JSONField(_("networks"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["strategy", "name"], name="atelier_audience_unique")]

    def __str__(self) -> str:
        return self.name


class Cadence(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="cadences")
    network = models.CharField(_("network"), max_length=16, choices=network_choices)
    posts_per_week = models.PositiveSmallIntegerField(_("posts per week"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["strategy", "network"], name="atelier_cadence_unique")]


class LexiconEntry(models.Model):
    """An acronym of the structure and its plain-language expansion (used by the writing coach)."""

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="lexicon")
    acronym = models.CharField(_("acronym"), max_length=20)
    expansion = models.CharField(_("in plain words"), max_length=200)

    class Meta:
        ordering = ["acronym"]
        constraints = [models.UniqueConstraint(fields=["structure", "acronym"], name="atelier_lexicon_unique")]


class ConnectedAccount(TimeStamped):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Connected")
        BROKEN = "broken", _("Must be reconnected")
        DISCONNECTED = "disconnected", _("Disconnected")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="connected_accounts")
    network = models.CharField(_("network"), max_length=16, choices=network_choices)
    api_base = models.URLField(_("server address"), blank=True)  # Mastodon instance, Bluesky PDS...
    remote_id = models.CharField(max_length=200, blank=True)
    handle = models.CharField(_("account"), max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    # Tokens, app passwords, bot tokens: encrypted at rest (Fernet, key from SECRET_KEY and SALT_KEY).
    secrets = EncryptedJSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_detail = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    followers = models.PositiveIntegerField(null=True, blank=True)
    # Per-account rate limit: publications sent in the current window.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("connected account")
        verbose_name_plural = _("connected accounts")
        ordering = ["network", "handle"]
        indexes = [models.Index(fields=["structure", "status"])]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    @property
    def on_this_machine(self) -> bool:
        """Whether its server runs on this very machine (a local sandbox or fake, never the real network)."""
        return urlsplit(self.api_base).hostname in {"127.0.0.1", "localhost", "::1"}


class Recurrence(models.Model):
    """A message repeated on a rule until an end; each occurrence is its own Message."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("repeat"), max_length=8, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    # Local wall-clock time in `timezone`: 09:00 stays 09:00 across daylight-saving changes.
    starts_on = models.DateField(_("from"))
    local_time = models.TimeField(_("at"))
    timezone = models.CharField(max_length=64, default="Europe/Paris")
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class QueueSlot(models.Model):
    """A weekly time slot of the structure's queue ("next free slot")."""

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="queue_slots")
    weekday = models.PositiveSmallIntegerField(_("day"))  # 0 = Monday
    local_time = models.TimeField(_("time"))
    timezone = models.CharField(max_length=64, default="Europe/Paris")

    class Meta:
        ordering = ["weekday", "local_time"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "weekday", "local_time"], name="atelier_slot_unique")
        ]


class Message(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        # Not the join requests' "Approved" (feminine in French): a context of its own.
        APPROVED = "approved", pgettext_lazy("message status", "Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title (for the newsletter and the calendar)"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=10000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Where it goes: the accounts chosen in the composer.
    accounts = models.ManyToManyField(ConnectedAccount, blank=True, related_name="+", verbose_name=_("publish to"))
    scheduled_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # "Share outside": the cooperative news post this draft came from.
    source_post = models.ForeignKey("news.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recurrence = models.ForeignKey(
        Recurrence, on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    occurrence_on = models.DateField(null=True, blank=True)
    # Random per composer opened: a double submit finds the first draft.
    submission_key = models.CharField(max_length=40, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["structure", "status"]),
            models.Index(fields=["structure", "scheduled_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="atelier_message_submitted_once",
            ),
            models.UniqueConstraint(
                fields=["recurrence", "occurrence_on"],
                condition=Q(recurrence__isnull=False),
                name="atelier_occurrence_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title or shorten(self.body, 40)


class MessageVariant(models.Model):
    """The text for one network when it differs from the message's text."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="variants")
    network = models.CharField(max_length=16, choices=network_choices)
    body = models.TextField(_("text for this network"), max_length=10000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "network"], name="atelier_variant_unique")]


def message_image_path(instance, filename: str) -> str:
    return f"atelier/{new_code()}.{filename.rsplit('.', 1)[-1]}"


class MessageImage(models.Model):
    code = CodeField()
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=message_image_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description of the image"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The library photo this image was copied from: its consent is checked again before the
    # message goes anywhere, and sharing the same photo again finds the same draft.
    source_file = models.ForeignKey("library.File", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["position", "id"]


class MessageEvent(models.Model):
    """The workflow's log and conversation: comments, submissions, approvals, requests for changes."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("commented")
        SUBMITTED = "submitted", _("submitted for approval")
        CHANGES_REQUESTED = "changes_requested", _("requested changes")
        APPROVED = "approved", _("approved")
        SCHEDULED = "scheduled", _("scheduled")
        UNSCHEDULED = "unscheduled", _("unscheduled")
        PUBLISHED = "published", _("published")
        FAILED = "failed", _("failed")

    code = CodeField()
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Publication(models.Model):
    """One message on one account: the state machine of its publication.

    pending → publishing (claimed by one worker until ``claimed_until``) →
    published | failed; a transient failure goes back to pending with a later
    ``next_try_at``; an uncertain outcome goes to ``checking`` (look on the
    network for ``marker`` before any retry).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PUBLISHING = "publishing", _("Publishing")
        CHECKING = "checking", _("Checking on the network")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    code = CodeField()
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="publications")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()
    next_try_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    # Put in every post sent, so an uncertain outcome can be checked on the network.
    marker = models.CharField(max_length=32, unique=True, default=new_code)
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [models.UniqueConstraint(fields=["message", "account"], name="atelier_publication_once")]
        indexes = [
            models.Index(
                fields=["next_try_at"],
                condition=Q(state__in=["pending", "publishing", "checking"]),
                name="atelier_pub_due_idx",
            )
        ]


class PublicationAttempt(models.Model):
    """Every call made to a network for a publication, kept for the author and the audit."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16)  # published, transient, uncertain, permanent, auth, found
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
