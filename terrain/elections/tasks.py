"""Tasks of the elections kit: thin, the services do the work."""

from __future__ import annotations

from django_tasks import task

from terrain.elections.services import election_reminders_send


@task()
def election_reminders_task() -> int:
    return election_reminders_send()
