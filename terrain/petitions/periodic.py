"""Periodic jobs of the petitions, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from terrain.core.periodic import PeriodicJob
from terrain.petitions.tasks import signatures_purge_task

JOBS = [
    # Unconfirmed signatures after a week; all signatures once the retention after closing is over.
    PeriodicJob("petitions-signatures-purge", every=timedelta(hours=1), task=signatures_purge_task),
]
