"""Tasks of the consultations: thin, ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from terrain.consultations import services


@task()
def invitations_send_task(consultation_id: int) -> int:
    return services.invitations_send(consultation_id=consultation_id)


@task()
def consultations_close_task() -> int:
    return services.consultations_close_due()
