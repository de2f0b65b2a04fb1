"""Periodic work without cron.

Each app declares its jobs in ``<app>/periodic.py``::

    JOBS = [PeriodicJob("publications-dispatch", every=timedelta(seconds=5), task=publications_dispatch_task)]

``manage.py clock`` (started by ``scripts/run.py`` beside the web server and the
worker) wakes up every second and enqueues the jobs that are due. Each job has a
:class:`~terrain.core.models.PeriodicRun` row; a job is claimed with one
conditional UPDATE on ``next_run_at``, so two clocks (or a clock restarted in a
hurry) never enqueue the same run twice. The clock only enqueues: the work runs
in the task worker, like every other task.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from terrain.core.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: object  # a django-tasks Task, enqueued with no argument
    #: Ahead of other queued work where the task backend supports priorities (the database one does).
    priority: int = 0

    def __post_init__(self) -> None:
        if self.every < timedelta(seconds=1):
            raise ValueError(f"Periodic job {self.name!r} runs more often than once a second.")


def discover_jobs() -> list[PeriodicJob]:
    """Every ``JOBS`` list of every installed app's ``periodic`` module."""
    jobs: dict[str, PeriodicJob] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.periodic")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.periodic":
                raise
            continue
        for job in getattr(module, "JOBS", []):
            if job.name in jobs:
                raise ValueError(f"Two periodic jobs are named {job.name!r}.")
            jobs[job.name] = job
    return list(jobs.values())


def _ensure_rows(jobs: list[PeriodicJob], now: datetime) -> None:
    known = set(PeriodicRun.objects.filter(name__in=[j.name for j in jobs]).values_list("name", flat=True))
    for job in jobs:
        if job.name not in known:
            # Another clock may create it meanwhile: the savepoint keeps our transaction usable.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                PeriodicRun.objects.create(name=job.name, next_run_at=now)


def claim(job: PeriodicJob, *, now: datetime) -> bool:
    """Take this run of ``job`` if it is due and nobody took it: one conditional UPDATE."""
    return bool(
        PeriodicRun.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.every, last_run_at=now, runs=F("runs") + 1
        )
    )


def tick(jobs: list[PeriodicJob] | None = None, *, now: datetime | None = None) -> list[str]:
    """Enqueue every due job once; returns the names enqueued."""
    jobs = discover_jobs() if jobs is None else jobs
    now = now or timezone.now()
    _ensure_rows(jobs, now)
    enqueued = []
    for job in jobs:
        if claim(job, now=now):
            try:
                task = job.task
                if job.priority and task.get_backend().supports_priority:
                    task = task.using(priority=job.priority)
                task.enqueue()
            except Exception:
                # A broken job must not stop the others; its next run comes at the usual time.
                logger.exception("Periodic job %s could not be enqueued", job.name)
                continue
            enqueued.append(job.name)
    return enqueued


def _core_jobs() -> list[PeriodicJob]:
    from terrain.core.tasks import task_results_purge

    # Finished tasks keep their arguments: they are forgotten after a short retention.
    return [PeriodicJob("core-task-results-purge", every=timedelta(hours=1), task=task_results_purge)]


# The core app's own jobs (this module is also its ``periodic`` module).
JOBS = _core_jobs()
