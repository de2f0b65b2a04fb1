"""The shared inbox: what people say to a structure's accounts, and what its keyword watches find.

- :class:`Conversation`: a thread, as the team handles it (status, assignee, tags); its
  items are what people said, in order, with the tone of each (:mod:`terrain.inbox.tone`).
- :class:`Item`: one reply, mention, comment, direct message or watch match. ``source`` and
  ``remote_id`` together are unique: an item read twice (a retried page, a worker killed
  between the insert and the cursor) is stored once.
- :class:`Stream`: where the reading of one account's stream (or one watch) stands: the
  network's cursor, stored in the transaction of the items it covers, and when to read again.
- :class:`Reply`: an answer from Terrain, through the connector, approved first when the
  structure's workshop requires it; sent at most once (``marker``).
- :class:`Note`: a remark of the team, never shown outside.

Everything here is personal data of the people who wrote (names, handles, words): only the
structure's communication team sees it (``terrain.inbox.access``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.core.models import CodeField, TimeStamped
from terrain.inbox.tone import Tone
from terrain.lib.codes import new_code
from terrain.networks.registry import choices as network_choices

TEXT_KEPT = 10_000  # characters of an item's text stored (a longer one is cut, and says so)


class ItemKind(models.TextChoices):
    REPLY = "reply", pgettext_lazy("inbox item", "Reply")
    MENTION = "mention", _("Mention")
    COMMENT = "comment", pgettext_lazy("inbox item", "Comment")
    MESSAGE = "message", _("Direct message")
    WATCH = "watch", _("Watch")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("conversation", "New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Watch(TimeStamped):
    """Keywords a structure watches: its name, its employer, hashtags, people."""

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="watches")
    name = models.CharField(_("name"), max_length=100)
    terms = models.TextField(
        _("words to watch"), max_length=2000, help_text=_("One per line: a name, a hashtag, an expression.")
    )
    feeds = models.TextField(
        _("news feeds (RSS or Atom)"), max_length=4000, blank=True, help_text=_("One address per line.")
    )
    networks = models.JSONField(_("networks searched"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]

    @property
    def feed_list(self) -> list[str]:
        return [line.strip() for line in self.feeds.splitlines() if line.strip()]


class Conversation(TimeStamped):
    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="conversations")
    account = models.ForeignKey(
        "atelier.ConnectedAccount", on_delete=models.CASCADE, null=True, blank=True, related_name="conversations"
    )
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, null=True, blank=True, related_name="conversations")
    network = models.CharField(_("network"), max_length=16, choices=network_choices, blank=True)  # "" for a feed
    #: What the thread hangs on, on the network (our post's id, the first item's id): unique per source.
    thread_key = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    #: The most urgent tone of its items (questions and critical first: ``tone.PRIORITY``).
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, default=Tone.NEUTRAL)
    priority = models.PositiveSmallIntegerField(default=3)
    #: Our post the thread answers, when known (its text, for context).
    our_post_text = models.TextField(blank=True)
    our_post_url = models.URLField(max_length=500, blank=True)
    first_item_at = models.DateTimeField()
    last_item_at = models.DateTimeField(db_index=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)  # our first answer: response figures
    items_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "thread_key"], condition=Q(account__isnull=False), name="inbox_conv_account_thread"
            ),
            models.UniqueConstraint(
                fields=["watch", "thread_key"], condition=Q(watch__isnull=False), name="inbox_conv_watch_thread"
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "status", "priority", "-last_item_at"], name="inbox_conv_queue"),
            models.Index(fields=["structure", "-last_item_at"], name="inbox_conv_recent"),
        ]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    code = CodeField()
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="items")
    #: "a<account id>" or "w<watch id>": with ``remote_id``, what makes an item unique.
    source = models.CharField(max_length=24)
    remote_id = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    author_handle = models.CharField(_("author"), max_length=200, blank=True)
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    author_url = models.URLField(max_length=500, blank=True)
    text = models.TextField(_("text"))
    truncated = models.BooleanField(default=False)
    url = models.URLField(_("address"), max_length=500, blank=True)
    parent = models.CharField(max_length=300, blank=True)
    reply_to = models.CharField(max_length=300, blank=True)  # what an answer replies to on the network
    created_at = models.DateTimeField(_("written"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, default=Tone.NEUTRAL)
    tone_reason = models.CharField(_("why this tone"), max_length=300, blank=True)
    matched = models.CharField(_("matched words"), max_length=300, blank=True)  # a watch's terms found

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "remote_id"], name="inbox_item_once")]
        indexes = [models.Index(fields=["conversation", "created_at"], name="inbox_item_thread")]

    def __str__(self) -> str:
        return self.code


class Stream(models.Model):
    """Where reading one account's stream (or one watch's source) stands."""

    source = models.CharField(max_length=24)  # as Item.source
    name = models.CharField(max_length=300)  # "notifications", "search:#greve", "feed:https://…"
    cursor = models.TextField(blank=True)
    next_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    #: The last failure was a permission the connection lacks: connecting the account again cures it.
    needs_permission = models.BooleanField(default=False)
    #: When the account's managers were told that this run of failures goes on (None: not yet).
    warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "name"], name="inbox_stream_once")]


class Reply(TimeStamped):
    class State(models.TextChoices):
        PENDING_APPROVAL = "pending", _("Waiting for approval")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")

    code = CodeField()
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("answer"), max_length=5000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marker = models.CharField(max_length=32, unique=True, default=new_code)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    remote_id = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]


class Note(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class SavedReply(TimeStamped):
    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="saved_replies")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=2000)

    class Meta:
        verbose_name = _("saved answer")
        verbose_name_plural = _("saved answers")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Crisis(TimeStamped):
    """A spike of critical and hostile words (or mentions) against a structure's own baseline
    (``terrain.inbox.crisis``): open while the team handles it, every answer approved first."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="crises")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened"))
    #: Why it opened, in words and figures (kept in the language of the detection, shown as is).
    cause = models.CharField(_("cause"), max_length=500)
    #: The items that made the spike (ids of :class:`Item`), in order.
    item_ids = models.JSONField(default=list, blank=True)
    #: The holding statement, with ``{structure}`` and ``{date}`` filled when shown or sent.
    statement = models.TextField(_("holding statement"), max_length=2000, blank=True)
    statement_updated_at = models.DateTimeField(null=True, blank=True)
    statement_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open crisis per structure: two detections at once open it once (and alert once).
            models.UniqueConstraint(fields=["structure"], condition=Q(state="open"), name="inbox_crisis_one_open")
        ]

    def __str__(self) -> str:
        return self.code


class DigestSent(models.Model):
    """The weekly digest of a structure, sent once per week (``week``: the Monday it was sent)."""

    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["structure", "week"], name="inbox_digest_once")]
