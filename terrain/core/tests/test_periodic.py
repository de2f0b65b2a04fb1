"""Periodic jobs without cron: one run per period, whatever the number of clocks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from terrain.core.models import PeriodicRun
from terrain.core.periodic import PeriodicJob, claim, discover_jobs, tick

CALLS: list[str] = []


@task()
def remember() -> None:
    CALLS.append("ran")


@task()
def other() -> None:
    CALLS.append("other")


JOB = PeriodicJob("test-remember", every=timedelta(minutes=10), task=remember)


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


@pytest.mark.django_db
def test_a_due_job_runs_once_per_period():
    now = timezone.now()
    assert tick([JOB], now=now) == ["test-remember"]
    assert tick([JOB], now=now + timedelta(minutes=9)) == []
    assert tick([JOB], now=now + timedelta(minutes=10)) == ["test-remember"]
    assert CALLS == ["ran", "ran"]
    run = PeriodicRun.objects.get(name="test-remember")
    assert run.runs == 2
    assert run.next_run_at == now + timedelta(minutes=20)


@pytest.mark.django_db
def test_two_clocks_never_take_the_same_run():
    now = timezone.now()
    PeriodicRun.objects.create(name=JOB.name, next_run_at=now)
    assert [claim(JOB, now=now), claim(JOB, now=now)] == [True, False]


@pytest.mark.django_db
def test_a_failing_enqueue_does_not_stop_the_other_jobs():
    broken = PeriodicJob("test-broken", every=timedelta(minutes=1), task=object())  # has no enqueue
    assert tick([broken, PeriodicJob("test-other", every=timedelta(minutes=1), task=other)]) == ["test-other"]
    assert CALLS == ["other"]


def test_jobs_are_found_in_the_apps_periodic_modules():
    names = {job.name for job in discover_jobs()}
    assert names == {
        "atelier-publications-dispatch",
        "atelier-accounts-check",
        "atelier-recurrences-extend",
        "relays-daily-digest",
        "insights.metrics",
        "insights.followers",
        "core-task-results-purge",
        "library-files-purge",
        "adhesions-remind",
        "adhesions-purge",
        "consultations-close",
        "elections-reminders",
        "petitions-signatures-purge",
        "inbox-due",
        "inbox-crisis-check",
        "inbox-weekly-digest",
    }


def test_a_job_more_often_than_every_second_is_refused():
    with pytest.raises(ValueError):
        PeriodicJob("too-often", every=timedelta(milliseconds=10), task=remember)


@pytest.mark.django_db
def test_clock_once_enqueues_the_due_jobs():
    out = StringIO()
    call_command("clock", "--once", stdout=out)
    assert "enqueued atelier-publications-dispatch" in out.getvalue()
    out = StringIO()
    call_command("clock", "--once", stdout=out)
    assert "atelier-publications-dispatch" not in out.getvalue()  # not due again yet
