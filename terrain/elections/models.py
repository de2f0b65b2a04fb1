"""A structure's professional elections: the election, its colleges and candidates, its steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.core.models import CodeField, TimeStamped


class Election(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("an election", "Draft")
        PUBLISHED = "published", pgettext_lazy("an election", "Published")
        ARCHIVED = "archived", pgettext_lazy("an election", "Archived")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person, at the polling station")
        ELECTRONIC = "electronic", _("Electronic vote")
        BOTH = "both", _("Electronic and in person")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="elections")
    title = models.CharField(_("title"), max_length=200)
    employer = models.CharField(_("employer or establishment"), max_length=200)
    vote_date = models.DateField(_("vote date (first round)"))
    second_round_date = models.DateField(
        _("second round date"), null=True, blank=True, help_text=_("Leave empty: 15 days after the first round.")
    )
    mode = models.CharField(_("how the vote is held"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    how_to_vote = models.TextField(
        _("how to vote"),
        max_length=3000,
        blank=True,
        help_text=_(
            "Shown on the public page: polling stations and hours, or how the codes for the electronic vote arrive."
        ),
    )
    show_names = models.BooleanField(
        _("show the candidates' names on the site"),
        default=False,
        help_text=_("Off by default: names are personal data. Tick it once the candidates agreed."),
    )
    reminder_days = models.CharField(
        _("remind the officials (days before each step)"),
        max_length=30,
        default="7,1",
        help_text=_("Numbers of days separated by commas, e.g. 7,1. They are also reminded on the vote day."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        indexes = [models.Index(fields=["structure", "status", "vote_date"], name="elections_structure_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def days_before(self) -> list[int]:
        return sorted({int(part) for part in self.reminder_days.split(",") if part.strip().isdigit()}, reverse=True)


class College(models.Model):
    code = CodeField()
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("college"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("seats to fill"))
    electorate_women = models.PositiveIntegerField(_("women in the electorate"))
    electorate_men = models.PositiveIntegerField(_("men in the electorate"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("college")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "F", _("Woman")
        MAN = "M", _("Man")

    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="candidates")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=120)
    gender = models.CharField(_("sex"), max_length=1, choices=Gender.choices)
    job = models.CharField(_("job"), max_length=120, blank=True)

    class Meta:
        ordering = ["position", "id"]


class Step(models.Model):
    code = CodeField()
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=30)  # a key of steps.KINDS
    label = models.CharField(_("step"), max_length=200)
    due_date = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_date", "id"]


class StepReminder(models.Model):
    """A reminder sent: once per step and delay, whatever the number of runs."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "days_before"], name="elections_reminder_once")]


class ElectionTract(models.Model):
    """A tract of the cooperative's tractothèque chosen for the campaign (members only)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="tract_links")
    tract = models.ForeignKey("tracts.Tract", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "tract"], name="elections_tract_once")]
