"""Periodic work of the plan, read by ``manage.py clock`` (contract: ``terrain.core.periodic``).

Series of recurring messages are written two months ahead; this job extends them
as days pass. Running it twice is harmless: an occurrence is unique per day.
"""

from __future__ import annotations

from datetime import timedelta

from terrain.atelier.tasks_plan import recurrences_extend
from terrain.core.periodic import PeriodicJob

JOBS = [PeriodicJob("atelier.recurrences_extend", every=timedelta(hours=1), task=recurrences_extend)]
