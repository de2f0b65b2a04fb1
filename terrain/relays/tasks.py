from __future__ import annotations

from django_tasks import task

from terrain.relays.services import relays_send_digests


@task()
def relays_send_digests_task() -> int:
    return relays_send_digests()
