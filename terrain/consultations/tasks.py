"""Tasks of the consultations: thin, ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from terrain.consultations import jobs


@task()
def invitations_send_task(consultation_id: int) -> int:
    return jobs.invitations_send(consultation_id=consultation_id)


@task()
def consultations_close_task() -> int:
    return jobs.consultations_close_due()
