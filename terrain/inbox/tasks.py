"""Tasks of the inbox: thin, ids in, the services do the work."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from terrain.atelier.models import ConnectedAccount
from terrain.inbox import services, watching
from terrain.inbox.models import Stream


@task()
def inbox_due() -> int:
    """Enqueue the reading of every stream that is due (the periodic job): one task per stream,
    each claimed first, so that two clocks never read a stream twice at once."""
    queued = 0
    now = timezone.now()
    for account, stream in services.due_account_streams(now):
        if services.claim_stream(stream):
            read_account_stream_task.enqueue(account.pk, stream.name)
            queued += 1
    for stream in watching.due_watch_streams(now):
        if services.claim_stream(stream):
            read_watch_stream_task.enqueue(stream.pk)
            queued += 1
    return queued


#: A structure whose inbox hears new items is checked for a crisis at once, then at most once
#: more per this many seconds: what arrives after a check is checked at the end of the window.
CRISIS_RECHECK_SECONDS = 30


def crisis_check_soon(structure_id: int) -> bool:
    """Enqueue the crisis check of one structure: at once if none ran in the last
    ``CRISIS_RECHECK_SECONDS``, otherwise one check at the end of that window (where the task
    backend can defer; the immediate one of the tests cannot, and the clock's check every
    ``INBOX_CRISIS_CHECK_MINUTES`` catches it then). Returns whether a check was enqueued."""
    if cache.add(f"inbox-crisis-soon:{structure_id}", 1, timeout=CRISIS_RECHECK_SECONDS):
        crisis_check_structure_task.enqueue(structure_id)
        return True
    if not crisis_check_structure_task.get_backend().supports_defer:
        return False
    if not cache.add(f"inbox-crisis-later:{structure_id}", 1, timeout=CRISIS_RECHECK_SECONDS):
        return False  # the check at the end of the window is already waiting
    later = timezone.now() + timedelta(seconds=CRISIS_RECHECK_SECONDS)
    crisis_check_structure_task.using(run_after=later).enqueue(structure_id)
    return True


@task()
def read_account_stream_task(account_id: int, name: str) -> int:
    account = ConnectedAccount.objects.select_related("structure").filter(pk=account_id).first()
    if account is None or account.status != ConnectedAccount.Status.ACTIVE:
        return 0
    stored = services.read_account_stream(account, name)
    if stored:
        crisis_check_soon(account.structure_id)
    return stored


@task()
def read_watch_stream_task(stream_id: int) -> int:
    stream = Stream.objects.filter(pk=stream_id).first()
    if stream is None:
        return 0
    stored = watching.read_watch_stream(stream)
    structure_id = watching.structure_id_of(stream) if stored else None
    if structure_id is not None:
        crisis_check_soon(structure_id)
    return stored


@task()
def crisis_check_structure_task(structure_id: int) -> bool:
    """Look for a spike in one structure that has just heard new items: see ``terrain.inbox.crisis``."""
    from terrain.inbox.crisis import crisis_check_structure

    return crisis_check_structure(structure_id) is not None


@task()
def reply_send_task(reply_id: int) -> str:
    return services.reply_send(reply_id)


@task()
def crisis_check_task() -> int:
    """Look for spikes of critical and hostile items (the periodic job): see ``terrain.inbox.crisis``."""
    from terrain.inbox.crisis import crisis_check

    return len(crisis_check())


@task()
def digests_send_task() -> int:
    """Send the weekly digests due (the periodic job): see ``terrain.inbox.digest``."""
    from terrain.inbox.digest import digests_send

    return digests_send()
