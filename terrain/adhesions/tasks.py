"""Tasks of the join requests: thin, the services do the work."""

from __future__ import annotations

from django_tasks import task

from terrain.adhesions.services import join_requests_purge, join_requests_remind


@task()
def join_requests_remind_task() -> int:
    return join_requests_remind()


@task()
def join_requests_purge_task() -> int:
    return join_requests_purge()
