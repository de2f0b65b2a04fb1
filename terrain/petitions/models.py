"""Petitions of a structure, and their signatures.

A petition is written by the structure's officials (draft), opened to the public on
the structure's site, then closed. Anyone signs it without an account; a signature
counts once its owner confirms it from the e-mail they receive (double opt-in). The
number of confirmed signatures is kept on the petition (``signature_count``), raised
by one conditional UPDATE at each confirmation, so a page that goes viral reads one
row instead of counting thousands.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped


class Petition(TimeStamped):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signatures")
        CLOSED = "closed", _("Closed")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="petitions")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=20000)
    goal = models.PositiveIntegerField(_("goal (signatures)"), default=1000, validators=[MinValueValidator(1)])
    image = models.ImageField(_("image"), upload_to="petitions/", blank=True)
    image_alt = models.CharField(_("description of the image"), max_length=1000, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Confirmed signatures: raised at each confirmation, lowered at each withdrawal.
    signature_count = models.PositiveIntegerField(default=0)
    # Submissions refused without being stored (no personal data kept): a robot filled
    # the hidden field, or one client sent too many in a short time.
    refused_robot = models.PositiveIntegerField(default=0)
    refused_throttled = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["structure", "state"], name="petition_structure_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in (self.State.OPEN, self.State.CLOSED)

    @property
    def has_ended(self) -> bool:
        return self.ends_on is not None and timezone.localdate() > self.ends_on

    @property
    def accepts_signatures(self) -> bool:
        return self.state == self.State.OPEN and not self.has_ended

    @property
    def progress(self) -> int:
        """Percentage of the goal reached, 0 to 100 (the bar stops full past the goal)."""
        if not self.goal:
            return 100
        return min(100, self.signature_count * 100 // self.goal)


class Signature(models.Model):
    code = CodeField()
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Lower-cased and stripped: the same address signs once (the unique constraint below).
    email = models.EmailField(_("e-mail address"), max_length=254)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["petition", "email"], name="petition_signature_once")]
        indexes = [
            models.Index(fields=["petition", "confirmed_at"], name="petition_signature_confirmed"),
            models.Index(fields=["confirmed_at", "created_at"], name="petition_signature_pending"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def public_name(self) -> str:
        """What other visitors see of a signer who chose to show their name: first name and initial."""
        initial = self.last_name.strip()[:1].upper()
        return f"{self.first_name.strip()} {initial}." if initial else self.first_name.strip()
