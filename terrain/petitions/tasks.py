"""Tasks of the petitions: thin, ids in."""

from __future__ import annotations

from django_tasks import task

from terrain.petitions.mail import signature_confirmation_send
from terrain.petitions.purge import signatures_purge


@task()
def signature_confirmation_task(signature_id: int) -> bool:
    return signature_confirmation_send(signature_id=signature_id)


@task()
def signatures_purge_task() -> dict[str, int]:
    return signatures_purge()
