"""Periodic jobs of the workshop, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from terrain.atelier.tasks import accounts_check
from terrain.atelier.tasks_dispatch import publications_dispatch
from terrain.atelier.tasks_plan import recurrences_extend
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
    # Series of recurring messages are written two months ahead; this extends them as days pass.
    PeriodicJob("atelier-recurrences-extend", every=timedelta(hours=1), task=recurrences_extend),
]
