"""Periodic jobs of the consultations, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from terrain.consultations.tasks import consultations_close_task
from terrain.core.periodic import PeriodicJob

JOBS = [
    # Consultations whose closing date is past stop showing as open (answers already stop at the date).
    PeriodicJob("consultations-close", every=timedelta(minutes=10), task=consultations_close_task),
]
