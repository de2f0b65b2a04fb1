"""Statistics are gathered by the clock (``manage.py clock``), no cron needed."""

from __future__ import annotations

from datetime import timedelta

from terrain.core.periodic import PeriodicJob
from terrain.insights.tasks import collect_followers, collect_metrics

JOBS = [
    PeriodicJob("insights.metrics", every=timedelta(minutes=15), task=collect_metrics),
    PeriodicJob("insights.followers", every=timedelta(hours=6), task=collect_followers),
]
