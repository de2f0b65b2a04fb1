"""The clock's task that hands due publications to the workers.

Apart from ``tasks.py``: the dispatching service enqueues ``tasks.publications_run_batch``,
so a task calling that service from the same module would make an import cycle.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from terrain.atelier.services.publishing import publications_dispatch_due


@task()
def publications_dispatch() -> int:
    """Enqueue everything due, pass after pass while full passes come back (a burst of due posts)."""
    total = 0
    limit = 500
    for _pass in range(max(settings.ATELIER_DISPATCH_MAX_PASSES, 1)):
        count = publications_dispatch_due(limit=limit)
        total += count
        if count < limit:
            break
    return total
