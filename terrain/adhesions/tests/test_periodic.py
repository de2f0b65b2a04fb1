"""Reminders of waiting requests (once per waiting period) and erasure after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from terrain.adhesions.models import JoinRequest
from terrain.adhesions.periodic import JOBS
from terrain.adhesions.services import (
    join_request_assign,
    join_request_note,
    join_request_remind_me,
    join_requests_purge,
    join_requests_remind,
)
from terrain.feed.models import Notification

pytestmark = pytest.mark.django_db


def _waiting(world):
    return Notification.objects.filter(user=world.alice, reason="adhesion_waiting")


def test_a_waiting_request_reminds_once_per_waiting_period(
    world, join_request, settings, django_capture_on_commit_callbacks
):
    settings.ADHESION_REMINDER_DAYS = 3
    start = join_request.last_activity_at
    assert join_requests_remind(now=start + timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert join_requests_remind(now=start + timedelta(days=3, hours=1)) == 1
    # The clock runs every hour: nothing more until another period has passed.
    for hour in range(2, 24 * 3):
        assert join_requests_remind(now=start + timedelta(days=3, hours=hour)) == 0
    assert _waiting(world).count() == 1
    assert "attend" in _waiting(world).first().summary or "waiting" in _waiting(world).first().summary
    with django_capture_on_commit_callbacks(execute=True):
        assert join_requests_remind(now=start + timedelta(days=6, hours=2)) == 1
    assert _waiting(world).count() == 2
    reminders = [m for m in mail.outbox if m.to == ["alice@example.org"] and "attend" in m.subject]
    assert len(reminders) == 2 and join_request.code in reminders[0].body


def test_activity_restarts_the_wait_and_the_assignee_is_told(world, join_request, parent_official):
    join_request_assign(join_request=join_request, assignee=world.alice, by=world.alice)
    join_request_note(join_request=join_request, text="Laissé un message", by=world.alice)
    later = timezone.now() + timedelta(days=2)
    assert join_requests_remind(now=later) == 0
    assert join_requests_remind(now=later + timedelta(days=2)) == 1
    assert _waiting(world).filter(target_url__contains=join_request.code).count() == 1
    assert not Notification.objects.filter(user=parent_official).exists()


def test_settled_and_erased_requests_never_remind(world, join_request):
    JoinRequest.objects.filter(pk=join_request.pk).update(status="member")
    assert join_requests_remind(now=timezone.now() + timedelta(days=30)) == 0


def test_remind_me_on_a_day_is_told_once(world, join_request):
    when = timezone.now() + timedelta(days=1)
    join_request_remind_me(join_request=join_request, when=when, by=world.alice)
    assert join_requests_remind(now=when - timedelta(hours=1)) == 0
    assert join_requests_remind(now=when + timedelta(minutes=1)) == 1
    assert join_requests_remind(now=when + timedelta(hours=1)) == 0
    assert _waiting(world).filter(summary__contains="Nadia").count() == 1


def test_retention_erases_details_and_purges_robots(world, site, join_request, settings):
    from terrain.adhesions.services import join_request_submit

    settings.ADHESION_RETENTION_DAYS = 30
    robot = join_request_submit(site=site, values={"first_name": "x", "email": "x@example.org"}, spam=True)
    assert join_requests_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert join_requests_purge(now=timezone.now() + timedelta(days=8)) == 1
    assert not JoinRequest.objects.filter(pk=robot.pk).exists()
    assert join_requests_purge(now=timezone.now() + timedelta(days=31)) == 1
    join_request.refresh_from_db()
    assert join_request.erased_at and join_request.email == ""
    assert join_requests_purge(now=timezone.now() + timedelta(days=32)) == 0


def test_the_jobs_are_declared():
    assert {job.name for job in JOBS} == {"adhesions-remind", "adhesions-purge"}
