"""Periodic jobs of the join requests, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from terrain.adhesions.tasks import join_requests_purge_task, join_requests_remind_task
from terrain.core.periodic import PeriodicJob

JOBS = [
    # Requests waiting too long in the same step, and "remind me on" dates. Each request is
    # reminded once per waiting period, however often this runs.
    PeriodicJob("adhesions-remind", every=timedelta(hours=1), task=join_requests_remind_task),
    # The visitor's details once the retention period has passed; robots' requests after a week.
    PeriodicJob("adhesions-purge", every=timedelta(hours=6), task=join_requests_purge_task),
]
