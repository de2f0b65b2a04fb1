"""No secret in a task's stored arguments, finished tasks forgotten, arguments hidden in the admin."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from terrain.core.periodic import discover_jobs
from terrain.core.services import task_results_purge
from terrain.tests.factories import make_user


@pytest.fixture
def database_queue(settings):
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_an_invitation_link_is_not_readable_in_the_queued_task(database_queue):
    from terrain.accounts.services import invitation_create

    alice = make_user("Alice Martin", email="alice@example.org")
    invitation_create(email="nadia@example.org", by=alice)
    stored = json.dumps(DBTaskResult.objects.get().args_kwargs)
    for clear in ("/compte/invitation/", "nadia@example.org", "Alice Martin"):
        assert clear not in stored

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mail.outbox[0].to == ["nadia@example.org"] and "/compte/invitation/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_reset_link_is_not_readable_in_the_queued_task(database_queue, client):
    make_user("Nadia Benali", email="nadia@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "nadia@example.org"})
    stored = json.dumps(DBTaskResult.objects.get().args_kwargs)
    assert "/mot-de-passe/nouveau/" not in stored and "nadia@example.org" not in stored


def _finished(*, hours_ago: float, status: str = "SUCCESSFUL") -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        task_path="terrain.core.tasks.deliver_email",
        args_kwargs={"args": ["sealed"], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=now,
        finished_at=None if status == "READY" else now - timedelta(hours=hours_ago),
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_finished_tasks_are_purged_after_the_retention():
    old, old_failed = _finished(hours_ago=30), _finished(hours_ago=30, status="FAILED")
    recent, waiting = _finished(hours_ago=1), _finished(hours_ago=0, status="READY")
    assert task_results_purge(older_than=timedelta(hours=24)) == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old.pk, old_failed.pk]).exists()
    assert task_results_purge(older_than=timedelta(hours=24)) == 0


def test_the_purge_is_a_periodic_job():
    job = next(job for job in discover_jobs() if job.name == "core-task-results-purge")
    assert job.every <= timedelta(hours=1)


@pytest.mark.django_db
def test_the_admin_does_not_show_task_arguments(client):
    task = _finished(hours_ago=1)
    task.args_kwargs = {"args": ["UN-SECRET-LISIBLE"], "kwargs": {}}
    task.save()
    admin = make_user("Admin Plateforme", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk]))
    assert page.status_code == 200
    assert "UN-SECRET-LISIBLE" not in page.content.decode()
