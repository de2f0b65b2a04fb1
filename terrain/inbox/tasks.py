"""Tasks of the inbox: thin, ids in, the services do the work."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from terrain.atelier.models import ConnectedAccount
from terrain.inbox import services
from terrain.inbox.models import Stream


@task()
def inbox_due() -> int:
    """Enqueue the reading of every stream that is due (the periodic job): one task per stream,
    each claimed first, so that two clocks never read a stream twice at once."""
    queued = 0
    now = timezone.now()
    for account in services.inbox_accounts():
        connector_streams = services.get_connector(account.network).inbox_streams
        for name in connector_streams:
            stream = services.stream_for(services.account_source(account), name)
            if services.claim_stream(stream):
                read_account_stream_task.enqueue(account.pk, name)
                queued += 1
    for stream in services.due_watch_streams(now):
        if services.claim_stream(stream):
            read_watch_stream_task.enqueue(stream.pk)
            queued += 1
    return queued


@task()
def read_account_stream_task(account_id: int, name: str) -> int:
    account = ConnectedAccount.objects.select_related("structure").filter(pk=account_id).first()
    if account is None or account.status != ConnectedAccount.Status.ACTIVE:
        return 0
    return services.read_account_stream(account, name)


@task()
def read_watch_stream_task(stream_id: int) -> int:
    stream = Stream.objects.filter(pk=stream_id).first()
    return services.read_watch_stream(stream) if stream is not None else 0


@task()
def reply_send_task(reply_id: int) -> str:
    return services.reply_send(reply_id)
