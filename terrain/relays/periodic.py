"""Periodic work of the relays, run by ``manage.py clock`` (contract in terrain.core.periodic)."""

from __future__ import annotations

from datetime import timedelta

from terrain.core.periodic import PeriodicJob
from terrain.relays.tasks import relays_send_digests_task

JOBS = [PeriodicJob("relays-daily-digest", every=timedelta(days=1), task=relays_send_digests_task)]
