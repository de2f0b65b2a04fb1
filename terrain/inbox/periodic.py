"""Periodic jobs of the inbox, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from terrain.core.periodic import PeriodicJob
from terrain.inbox.tasks import crisis_check_task, digests_send_task, inbox_due

JOBS = [
    # Each stream keeps its own pace (INBOX_POLL_SECONDS, longer after failures or a 429): this
    # only looks for the streams that are due.
    PeriodicJob("inbox-due", every=timedelta(seconds=max(settings.INBOX_POLL_SECONDS // 4, 5)), task=inbox_due),
    # Spikes of critical and hostile items against each structure's baseline (terrain/inbox/crisis.py).
    PeriodicJob(
        "inbox-crisis-check", every=timedelta(minutes=settings.INBOX_CRISIS_CHECK_MINUTES), task=crisis_check_task
    ),
    # Monday's digest (from INBOX_DIGEST_HOUR, Paris time): looked for every 15 minutes, sent once per week.
    PeriodicJob("inbox-weekly-digest", every=timedelta(minutes=15), task=digests_send_task),
]
