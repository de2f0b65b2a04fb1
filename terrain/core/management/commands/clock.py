"""``manage.py clock``: enqueue the periodic jobs of every app when they are due (no cron needed)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from terrain.core.periodic import discover_jobs, tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (runs until stopped; --once for one pass)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between passes.")

    def handle(self, *args, once: bool = False, interval: float = 1.0, **options) -> None:
        jobs = discover_jobs()
        if once:
            for name in tick(jobs):
                self.stdout.write(f"enqueued {name}")
            return
        self.stdout.write(f"Clock: {len(jobs)} periodic jobs ({', '.join(j.name for j in jobs)})")
        running = True

        def stop(*_args) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            close_old_connections()
            try:
                tick(jobs)
            except Exception as error:  # the database restarting must not kill the clock
                self.stderr.write(f"Clock pass failed: {error}")
            time.sleep(interval)
