"""Mobilisation events of a structure: demonstrations, strikes, drop-in hours, public meetings.

An event is a draft until an official publishes it; only then does it appear on the
structure's public site (if the site is published) and on the instance's agenda. A
cancelled event stays visible, marked cancelled, so that nobody comes for nothing.

Drop-in hours (permanences) usually come back every week: an event may repeat weekly
until a date (``repeat_until``). The rule is stored on the row and expanded on read
(:mod:`terrain.mobilisation.occurrences`), never written out as many rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped


class EventKind(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration")
    STRIKE = "strike", _("Strike")
    PERMANENCE = "permanence", _("Drop-in hours")
    MEETING = "meeting", _("Public meeting")
    OTHER = "other", _("Other")


class Event(TimeStamped):
    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.DEMONSTRATION)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    # Drop-in hours coming back each week on the same day and hours, up to this day (included).
    repeat_until = models.DateField(_("every week until"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    commune = models.CharField(_("town"), max_length=120, blank=True)
    # Where the map places it; typed by the official or left empty (filled from the town later).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    co_organisers = models.CharField(
        _("with"), max_length=300, blank=True, help_text=_("Other organisers, for example: other unions, associations.")
    )
    image = models.ImageField(_("image"), upload_to="mobilisation/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=1000, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=300, blank=True)
    # "I'll be there": raised by a conditional UPDATE, once per client (see Attendance).
    attending = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["structure", "starts_at"], name="mobilisation_event_structure"),
            models.Index(fields=["published", "ends_at"], name="mobilisation_event_upcoming"),
            models.Index(fields=["published", "repeat_until"], name="mobilisation_event_repeating"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def repeats(self) -> bool:
        return self.repeat_until is not None


class Attendance(models.Model):
    """One "I'll be there" of one client for one event: a hash, never an address or a person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    # blake2b of the event's code and the throttle's client key (itself a hash of the address):
    # it cannot be linked across events, nor turned back into an address.
    client_key = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "client_key"], name="mobilisation_attendance_once")]
