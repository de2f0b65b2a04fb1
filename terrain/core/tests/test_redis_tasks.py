"""TASK_BACKEND=redis: tasks go through Redis (RQ) and an RQ worker runs them.

Needs the Redis server `make test` starts on 127.0.0.1:6379 (database 15 here).
"""

from __future__ import annotations

import pytest
import redis
from django.core import mail
from django.core.mail import EmailMessage

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_tasks(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379: `make test` starts it")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield connection
    connection.flushdb()


@pytest.mark.django_db(transaction=True)
def test_mail_is_queued_in_redis_and_delivered_by_an_rq_worker(redis_tasks):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    EmailMessage(subject="Assemblée générale", body="Jeudi 18 h", to=["bob@example.org"]).send()

    queue = django_rq.get_queue("default")
    assert queue.count == 1  # waiting in Redis, not sent yet
    assert mail.outbox == []

    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True)

    assert queue.count == 0
    assert [m.subject for m in mail.outbox] == ["Assemblée générale"]
