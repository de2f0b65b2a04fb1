"""The channels a structure owns: its e-mail newsletter and its Atom feed.

A structure's newsletter and feed exist in public only once a manager has
enabled them (a ConnectedAccount of network ``newsletter`` / ``rss`` whose
``remote_id`` is the structure's code). Subscribers confirm their address
(double opt-in) and leave in one click.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped


class Subscriber(TimeStamped):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(max_length=8, default="fr")
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [models.UniqueConstraint(fields=["structure", "email"], name="newsletter_subscriber_once")]
        indexes = [models.Index(fields=["structure", "status", "id"])]


class NewsletterIssue(models.Model):
    """One message sent as a newsletter. ``marker`` (the publication's) makes it go out once.

    Subscribers are sent in batches in the order of their id; ``last_subscriber_id``
    records the progress, so a retry after a crash resumes where it stopped.
    """

    class State(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="+")
    marker = models.CharField(max_length=32, unique=True)
    subject = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=State.choices, default=State.SENDING)
    last_subscriber_id = models.BigIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)


class FeedEntry(models.Model):
    """A message published on the structure's Atom feed."""

    code = CodeField()
    structure = models.ForeignKey("structures.Structure", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("atelier.Message", on_delete=models.CASCADE, null=True, related_name="+")
    marker = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["structure", "-published_at"])]
