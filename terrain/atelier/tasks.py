"""Tasks of the workshop: thin, ids in, the services do the work."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from terrain.atelier.services.engine import publication_run, worker_name


@task()
def publication_run_task(publication_id: int) -> str:
    return publication_run(publication_id=publication_id, worker=worker_name())


@task()
def publications_run_batch(publication_ids: list[int]) -> list[str]:
    worker = worker_name()
    return [publication_run(publication_id=pk, worker=worker) for pk in publication_ids]


@task()
def publications_dispatch() -> int:
    """Enqueue everything due, pass after pass while full passes come back (a burst of due posts)."""
    from terrain.atelier.services.publishing import publications_dispatch_due

    total = 0
    limit = 500
    for _pass in range(max(settings.ATELIER_DISPATCH_MAX_PASSES, 1)):
        count = publications_dispatch_due(limit=limit)
        total += count
        if count < limit:
            break
    return total


@task()
def accounts_check() -> int:
    """Check every connected account's token; a broken one is marked and its managers warned."""
    from terrain.atelier.services.accounts import accounts_check_all

    return accounts_check_all()
