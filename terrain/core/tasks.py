from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django_tasks import task

from terrain.core.mail import data_to_message, unseal


@task()
def deliver_email(sealed: str | dict) -> None:
    """Send one queued message (sealed by ``QueuedEmailBackend``) through the real delivery backend."""
    # A plain dict is a message queued before messages were sealed.
    data = sealed if isinstance(sealed, dict) else unseal(sealed)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    data_to_message(data, connection=connection).send()


@task()
def task_results_purge() -> int:
    """Forget finished tasks older than ``TASK_RESULTS_RETENTION_HOURS`` (see ``core.periodic.JOBS``)."""
    from terrain.core.services import task_results_purge as purge

    return purge(older_than=timedelta(hours=settings.TASK_RESULTS_RETENTION_HOURS))
