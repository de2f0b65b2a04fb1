"""Tasks of the workshop: thin, ids in, the services do the work."""

from __future__ import annotations

import functools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks import task

from terrain.atelier.services.engine import publication_run, publications_run, worker_name

logger = logging.getLogger(__name__)


@task()
def publication_run_task(publication_id: int) -> str:
    return publication_run(publication_id=publication_id, worker=worker_name())


@task()
def publications_run_batch(publication_ids: list[int]) -> list[str]:
    """Run a batch, the network calls on ``ATELIER_PUBLISH_THREADS`` threads: a worker mostly waits for networks."""
    worker = worker_name()
    threads = min(max(settings.ATELIER_PUBLISH_THREADS, 1), len(publication_ids))
    if threads <= 1:
        return publications_run(publication_ids=publication_ids, worker=worker)
    pool = _publishers(settings.ATELIER_PUBLISH_THREADS)
    return publications_run(
        publication_ids=publication_ids,
        worker=worker,
        run_each=lambda function, items: pool.map(functools.partial(_guarded, function), items),
    )


#: A publisher thread idle this long checks its database connection before using it again.
IDLE_CHECK_SECONDS = 5.0
_thread = threading.local()


def _guarded(function, publication_id: int):
    # On a publisher thread, which keeps its database connection from one batch to the next
    # (opening one per batch cost more than the posts). After a pause (the server may have
    # dropped it meanwhile) or an error, the connection is checked as a request would be;
    # not before every post of a burst, where each check is one more round trip.
    if time.monotonic() - getattr(_thread, "last_used", 0.0) > IDLE_CHECK_SECONDS:
        close_old_connections()
    try:
        return function(publication_id)
    except Exception:
        # The row stays claimed; once its lease passes, another run checks the network first.
        logger.exception("Publication %s failed in the worker", publication_id)
        close_old_connections()  # a database error may have left it unusable
        return "error"
    finally:
        _thread.last_used = time.monotonic()


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _publishers(threads: int) -> ThreadPoolExecutor:
    """The worker process's publisher threads, started once and kept for every batch."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers != threads:
            if _pool is not None:
                _shutdown(_pool)
            _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="publish")
        return _pool


def publishers_stop() -> None:
    """Close the publisher threads' database connections and stop them (tests; a worker that exits
    simply drops its connections with its process)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _shutdown(_pool)
            _pool = None


def _shutdown(pool: ThreadPoolExecutor) -> None:
    # One closing job per thread, held at a barrier so that no thread takes two.
    count = len(pool._threads)
    if count:
        barrier = threading.Barrier(count)

        def close() -> None:
            connections.close_all()
            barrier.wait(timeout=30)

        for future in [pool.submit(close) for _ in range(count)]:
            future.result()
    pool.shutdown(wait=True)


@task()
def accounts_check() -> int:
    """Check every connected account's token; a broken one is marked and its managers warned."""
    from terrain.atelier.services.accounts import accounts_check_all

    return accounts_check_all()
