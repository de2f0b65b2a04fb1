"""Statistics of the communication workshop.

Link tracking (owner: outreach): every link a structure publishes goes through a
short address on Terrain's own domain (``/l/<code>``), so that clicks are counted
per message and per network without any tracker of the networks. A click keeps
no address, no referrer and no time finer than the day: one counter per link,
day and channel.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField


class TrackedLink(models.Model):
    code = CodeField()
    message = models.ForeignKey("atelier.Message", on_delete=models.CASCADE, related_name="tracked_links")
    # Null for links shared outside a publication (relays by militants).
    publication = models.ForeignKey(
        "atelier.Publication", on_delete=models.CASCADE, null=True, blank=True, related_name="tracked_links"
    )
    url = models.URLField(_("link"), max_length=500)
    # The network kind of the publication, or "relay" for links militants share.
    channel = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "url"], condition=Q(publication__isnull=False), name="insights_link_once"
            ),
            models.UniqueConstraint(
                fields=["message", "channel", "url"],
                condition=Q(publication__isnull=True),
                name="insights_link_once_outside",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class LinkClick(models.Model):
    """How many times a link was followed on one day from one channel (nothing about who)."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    day = models.DateField()
    channel = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("link clicks")
        verbose_name_plural = _("link clicks")
        constraints = [models.UniqueConstraint(fields=["link", "day", "channel"], name="insights_click_bucket")]


class MetricSnapshot(models.Model):
    """What a network said of one publication at one time (the latest one is the current figure)."""

    publication = models.ForeignKey("atelier.Publication", on_delete=models.CASCADE, related_name="metric_snapshots")
    collected_at = models.DateTimeField(db_index=True)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("engagement figures")
        verbose_name_plural = _("engagement figures")
        indexes = [models.Index(fields=["publication", "-collected_at"], name="insights_metric_latest_idx")]


class FollowerSnapshot(models.Model):
    """Followers of a connected account, one figure per day."""

    account = models.ForeignKey("atelier.ConnectedAccount", on_delete=models.CASCADE, related_name="follower_snapshots")
    day = models.DateField()
    followers = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("followers")
        verbose_name_plural = _("followers")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="insights_followers_daily")]


class MetricsState(models.Model):
    """When a publication's figures were last asked for and when to ask next (kept off the hot Publication row)."""

    publication = models.OneToOneField("atelier.Publication", on_delete=models.CASCADE, related_name="metrics_state")
    # The latest figures, so lists need no subquery over the snapshots.
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    collected_at = models.DateTimeField(null=True, blank=True)
    # None once the publication is old enough that its figures no longer move.
    next_at = models.DateTimeField(null=True, blank=True, db_index=True)
    checks = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
