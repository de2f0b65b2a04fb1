"""Tasks of the plan: thin, they call the scheduling service."""

from __future__ import annotations

from django_tasks import task

from terrain.atelier.services.scheduling import recurrences_extend_all


@task()
def recurrences_extend() -> int:
    """Write the occurrences of every running series up to the horizon (run by the clock, hourly)."""
    return recurrences_extend_all()
