"""Create the benchmark's data: one structure, N Mastodon accounts, M messages due within one minute.

Run by run.py with the benchmark's environment; prints the first due time (ISO).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from terrain.accounts.services import user_create  # noqa: E402
from terrain.atelier.models import ConnectedAccount, Message, Publication  # noqa: E402
from terrain.atelier.workflows import MESSAGE  # noqa: E402
from terrain.core.models import PeriodicRun  # noqa: E402
from terrain.core.periodic import discover_jobs  # noqa: E402
from terrain.structures.models import StructureKind  # noqa: E402
from terrain.structures.services import structure_create  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publications", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--start-in", type=float, default=30.0, help="seconds until the first due time")
    parser.add_argument("--spread", type=float, default=60.0, help="due times spread over this many seconds")
    args = parser.parse_args()

    with transaction.atomic():
        author = user_create(email="bench@example.org", display_name="Bench", password=secrets.token_urlsafe(16))
        structure = structure_create(
            kind=StructureKind.UNION_DEPARTEMENTALE, name="Union du banc d'essai", departement="69"
        )
        accounts = ConnectedAccount.objects.bulk_create(
            ConnectedAccount(
                structure=structure,
                network="mastodon",
                handle=f"@section{i}",
                secrets={"access_token": f"bench-token-{i}"},
            )
            for i in range(args.accounts)
        )
        start = timezone.now() + timedelta(seconds=args.start_in)
        step = args.spread / max(args.publications, 1)
        messages = Message.objects.bulk_create(
            Message(
                structure=structure,
                author=author,
                body=f"Assemblée générale jeudi, venez nombreuses et nombreux [bench-{n}]",
                scheduled_at=start + timedelta(seconds=n * step),
            )
            for n in range(args.publications)
        )
        # Drafts put on the calendar as the workflow's table says (no approval in this union).
        for first in range(0, len(messages), 1000):
            MESSAGE.move(ids=[m.pk for m in messages[first : first + 1000]], transition="schedule_unapproved")
        through = Message.accounts.through
        through.objects.bulk_create(
            through(message_id=m.pk, connectedaccount_id=accounts[n % len(accounts)].pk) for n, m in enumerate(messages)
        )
        Publication.objects.bulk_create(
            (
                Publication(
                    message=m,
                    account=accounts[n % len(accounts)],
                    due_at=m.scheduled_at,
                    next_try_at=m.scheduled_at,
                )
                for n, m in enumerate(messages)
            ),
            batch_size=1000,
        )
        # A site that has been running: its 6-hourly and daily jobs (token checks, followers of
        # all 2,000 accounts, digests) ran a moment ago, so the clock only dispatches publications,
        # instead of sending 4,000 calls of its own to the peer in the middle of the burst.
        now = timezone.now()
        PeriodicRun.objects.bulk_create(
            PeriodicRun(name=job.name, next_run_at=now + job.every, last_run_at=now)
            for job in discover_jobs()
            if job.name != "atelier-publications-dispatch"
        )
    print(start.isoformat())


if __name__ == "__main__":
    main()
