"""Periodic jobs of the library, run by ``manage.py clock`` (see terrain/core/periodic.py)."""

from __future__ import annotations

from datetime import timedelta

from terrain.core.periodic import PeriodicJob
from terrain.library.tasks import files_purge_task

JOBS = [
    # The bytes of files deleted a month ago, and of uploads whose transaction rolled back.
    PeriodicJob("library-files-purge", every=timedelta(hours=6), task=files_purge_task),
]
