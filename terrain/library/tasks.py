"""Tasks of the library: thin, ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from terrain.library.processing import version_process
from terrain.library.purge import files_purge


@task()
def version_process_task(version_id: int) -> str:
    return version_process(version_id=version_id)


@task()
def files_purge_task() -> int:
    return files_purge()
