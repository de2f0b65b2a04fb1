from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

# The task lives with the backend that enqueues it (one module, no cycle); its old path
# stays importable for the messages queued before an upgrade.
from terrain.core.mail import deliver_email  # noqa: F401


@task()
def task_results_purge() -> int:
    """Forget finished tasks older than ``TASK_RESULTS_RETENTION_HOURS`` (see ``core.periodic.JOBS``)."""
    from terrain.core.services import task_results_purge as purge

    return purge(older_than=timedelta(hours=settings.TASK_RESULTS_RETENTION_HOURS))
