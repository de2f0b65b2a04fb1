"""Join requests (adhésions) sent from the public sites, and their follow-up by officials.

A request is routed to one structure (``services.route_join_request``) and seen only by
its officials (and those above it when ``ADHESION_VISIBLE_TO_PARENTS``). It moves along
the pipeline declared in :mod:`terrain.adhesions.workflow`; every change and every note
is an :class:`Event`. Erasing a request blanks the visitor's details and drops the notes
but keeps the row (its dates and status), so the figures still count it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.core.models import CodeField, TimeStamped


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("join request", "New")
    CONTACTED = "contacted", pgettext_lazy("join request", "Contacted")
    MET = "met", pgettext_lazy("join request", "Met")
    MEMBER = "member", pgettext_lazy("join request", "Member")
    DECLINED = "declined", pgettext_lazy("join request", "Declined")
    LOST = "lost", pgettext_lazy("join request", "Lost")


class Contact(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    PHONE = "phone", _("By telephone")
    ANY = "any", _("Either")


class JoinRequest(TimeStamped):
    code = CodeField()
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("structure")
    )
    # The site the form was sent from (the instance-wide form names one too).
    site = models.ForeignKey("public.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    # The visitor's details: blanked by ``join_request_erase``.
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    employer = models.CharField(_("employer"), max_length=160, blank=True)
    workplace_postal_code = models.CharField(_("workplace postal code"), max_length=5, blank=True)
    job = models.CharField(_("job"), max_length=160, blank=True)
    message = models.TextField(_("message"), max_length=3000, blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=8, choices=Contact.choices, default=Contact.EMAIL
    )
    language = models.CharField(max_length=8, default="fr")
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # The honeypot was filled: a robot. Kept out of the pipeline and of the figures, purged soon.
    is_spam = models.BooleanField(default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    # Dates the figures read (one query, no history walk).
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    member_at = models.DateTimeField(null=True, blank=True)
    # Waiting: the last change or note; the last reminder sent (once per waiting period).
    last_activity_at = models.DateTimeField(db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # "Remind me on": an official asks to be told on that day.
    remind_at = models.DateTimeField(_("remind me on"), null=True, blank=True)
    remind_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["structure", "status", "-created_at"], name="adhesions_pipeline_idx"),
            models.Index(fields=["remind_at"], condition=Q(remind_at__isnull=False), name="adhesions_remind_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Event(models.Model):
    """One line of a request's history: a status change, an assignment, a note, an erasure."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", _("note")
        ERASED = "erased", _("personal data erased")

    code = CodeField()
    join_request = models.ForeignKey(JoinRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    text = models.TextField(max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("join request event")
        verbose_name_plural = _("join request events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.join_request_id} {self.kind}"
