"""Statistics of what the workshop published: engagement per publication, followers over time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
