"""Consultations (enquêtes): a questionnaire an official writes, answered by anyone with its link.

Anonymous by design where chosen. For an anonymous consultation, the rows of an answer
(:class:`Response`, :class:`Answer`) hold nothing that points to a person or a moment:

- no user, no e-mail, no address, no client key: those columns do not exist here;
  a named consultation keeps its respondents' names in :class:`Respondent`, a table an
  anonymous consultation never writes to;
- no time finer than the day (``Response.day``), and random primary keys (UUID), so the
  order of the rows says nothing of the order of the answers;
- an invitation (:class:`Invitation`) is only *marked used* when its link answers: it has
  no reference to the answer, no date of use, and its e-mail address is erased once the
  message is sent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.consultations.workflow import State
from terrain.core.models import CodeField, TimeStamped

SCALE_MAX = 10


class Consultation(TimeStamped):
    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous: nobody can know who answered what")
        NAMED = "named", _("named: respondents give their name")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=5000, blank=True)
    mode = models.CharField(_("answers"), max_length=12, choices=Mode.choices, default=Mode.ANONYMOUS)
    invited_only = models.BooleanField(
        _("invited people only"),
        default=False,
        help_text=_("Only the people you invite by e-mail can answer, each once, with their own link."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)  # first opened: the feed's date
    # Submissions refused (too many from one client, robots): counted, never stored.
    refused = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "state"], name="consultation_structure_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.mode == self.Mode.ANONYMOUS


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        SCALE = "scale", _("scale")
        SHORT = "short", _("short text")
        LONG = "long", _("long text")

    CHOICES = (Kind.SINGLE, Kind.MULTIPLE)
    TEXTS = (Kind.SHORT, Kind.LONG)

    code = CodeField()
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale from 1 to"), default=5, validators=[MinValueValidator(2), MaxValueValidator(SCALE_MAX)]
    )
    scale_low_label = models.CharField(_("label of 1"), max_length=60, blank=True)
    scale_high_label = models.CharField(_("label of the top of the scale"), max_length=60, blank=True)
    # Shown only when this option (of an earlier question) was chosen.
    condition = models.ForeignKey(
        "Option", on_delete=models.PROTECT, null=True, blank=True, related_name="dependents", verbose_name=_("only if")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["consultation", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICES

    @property
    def scale_values(self) -> range:
        return range(1, self.scale_max + 1)


class Option(models.Model):
    code = CodeField()
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One person's answers. Deliberately bare: see the module's docstring before adding a column."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    day = models.DateField()  # never a time: the hour would tell who answered

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(models.Model):
    """The answer to one question: an option (one row per option chosen), a value of the scale, or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "option"], name="consultation_answer_option")]


class Respondent(models.Model):
    """Who gave a response, for a *named* consultation only (an anonymous one never writes here)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="respondent")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email"],
                condition=~models.Q(email=""),
                name="consultation_one_answer_per_email",
            )
        ]


class Invitation(models.Model):
    """A single-use link sent by e-mail. Knows whether it was used, never which answer it gave."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(blank=True)  # erased once sent, for an anonymous consultation
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)  # set when the e-mail is made
    sent = models.BooleanField(default=False)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email"], condition=~models.Q(email=""), name="consultation_invited_once"
            )
        ]
