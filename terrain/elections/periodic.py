"""Periodic jobs of the elections kit, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from terrain.core.periodic import PeriodicJob
from terrain.elections.tasks import election_reminders_task

JOBS = [
    # Reminders of the steps near (N days before, and the vote day): each sent once, so hourly is cheap.
    PeriodicJob("elections-reminders", every=timedelta(hours=1), task=election_reminders_task),
]
