"""Periodic jobs of the inbox, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from terrain.core.periodic import PeriodicJob
from terrain.inbox.tasks import inbox_due

JOBS = [
    # Each stream keeps its own pace (INBOX_POLL_SECONDS, longer after failures or a 429): this
    # only looks for the streams that are due.
    PeriodicJob("inbox-due", every=timedelta(seconds=max(settings.INBOX_POLL_SECONDS // 4, 5)), task=inbox_due),
]
