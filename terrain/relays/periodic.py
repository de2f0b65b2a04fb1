"""Periodic work of the relays, run by ``manage.py clock`` (contract in terrain.core.periodic)."""

from __future__ import annotations

from datetime import timedelta

from terrain.relays.tasks import relays_send_digests_task

try:
    from terrain.core.periodic import PeriodicJob
except ImportError:  # pragma: no cover - until the engine's branch (which defines it) is merged
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class PeriodicJob:  # type: ignore[no-redef]
        name: str
        every: timedelta
        task: object


JOBS = [PeriodicJob("relays-daily-digest", every=timedelta(days=1), task=relays_send_digests_task)]
