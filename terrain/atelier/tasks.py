"""Tasks of the workshop: thin, ids in, the services do the work."""

from __future__ import annotations

import logging
import queue
import threading

from django.conf import settings
from django.db import connections
from django_tasks import task

from terrain.atelier.services.engine import publication_run, worker_name

logger = logging.getLogger(__name__)


@task()
def publication_run_task(publication_id: int) -> str:
    return publication_run(publication_id=publication_id, worker=worker_name())


@task()
def publications_run_batch(publication_ids: list[int]) -> list[str]:
    """Run a batch, on ``ATELIER_PUBLISH_THREADS`` threads: a worker mostly waits for networks."""
    worker = worker_name()
    threads = min(max(settings.ATELIER_PUBLISH_THREADS, 1), len(publication_ids))
    if threads <= 1:
        return [publication_run(publication_id=pk, worker=worker) for pk in publication_ids]
    waiting: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
    for item in enumerate(publication_ids):
        waiting.put(item)
    outcomes: dict[int, str] = {}

    def drain() -> None:
        try:
            while True:
                try:
                    index, pk = waiting.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcomes[index] = publication_run(publication_id=pk, worker=worker)
                except Exception:
                    # The row stays claimed; once its lease passes, another run checks the network first.
                    logger.exception("Publication %s failed in the worker", pk)
                    outcomes[index] = "error"
        finally:
            connections.close_all()  # this thread's own connections

    pool = [threading.Thread(target=drain, name=f"publish-{n}") for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return [outcomes.get(index, "error") for index in range(len(publication_ids))]


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
