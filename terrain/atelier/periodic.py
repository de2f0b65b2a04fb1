"""Periodic jobs of the workshop, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from terrain.atelier.tasks import accounts_check, publications_dispatch
from terrain.core.periodic import PeriodicJob

JOBS = [
    # Ahead of the publications already queued: lateness counts from the scheduled time.
    PeriodicJob(
        "atelier-publications-dispatch",
        every=timedelta(seconds=settings.ATELIER_DISPATCH_SECONDS),
        task=publications_dispatch,
        priority=50,
    ),
    PeriodicJob(
        "atelier-accounts-check", every=timedelta(hours=settings.ATELIER_ACCOUNT_CHECK_HOURS), task=accounts_check
    ),
]
