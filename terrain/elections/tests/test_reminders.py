"""Reminders of the steps near: to the structure's officials, once per step and delay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from terrain.elections.models import Election, StepReminder
from terrain.elections.periodic import JOBS
from terrain.elections.services import election_move, election_reminders_send, step_update
from terrain.feed.models import Notification

pytestmark = pytest.mark.django_db


def _notes(user):
    return list(Notification.objects.filter(user=user, reason=Notification.Reason.ELECTION_STEP))


def test_seven_days_before_a_step_the_officials_are_told_once(
    world, election, mailoutbox, django_capture_on_commit_callbacks
):
    step = election.steps.get(kind="lists_filing")
    today = step.due_date - timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert election_reminders_send(today=today) >= 1
        assert election_reminders_send(today=today) == 0  # the second run sends nothing
    mails = [m for m in mailoutbox if "listes" in m.body]
    assert len(mails) == 1
    assert mails[0].to == [world.alice.email]
    assert f"/elections/e/{election.code}/" in mails[0].body
    notes = [n for n in _notes(world.alice) if step.label in n.summary or "listes" in n.summary]
    assert len(notes) == 1
    assert "7" in notes[0].summary
    assert notes[0].target_url == f"/elections/e/{election.code}/"
    assert _notes(world.bob) == []  # a plain member is not an official
    assert _notes(world.charlie) == []
    assert StepReminder.objects.filter(step=step, days_before=7).count() == 1


def test_one_day_before_and_the_vote_day(world, election):
    vote = election.steps.get(kind="first_round")
    election_reminders_send(today=vote.due_date - timedelta(days=1))
    eve = [n for n in _notes(world.alice) if "demain" in n.summary or "tomorrow" in n.summary]
    assert len(eve) == 1
    assert "message" in eve[0].summary  # the eve of the vote says to prepare the voting-day message
    election_reminders_send(today=vote.due_date)
    election_reminders_send(today=vote.due_date)
    assert StepReminder.objects.filter(step=vote, days_before=0).count() == 1
    assert len([n for n in _notes(world.alice) if "aujourd" in n.summary or "today" in n.summary]) == 1


def test_a_step_done_or_an_archived_election_is_not_reminded(world, election):
    step = election.steps.get(kind="lists_filing")
    step_update(step=step, by=world.alice, due_date=step.due_date, done=True)
    assert election_reminders_send(today=step.due_date - timedelta(days=7)) == 0
    election_move(election=election, status=Election.Status.ARCHIVED, by=world.alice)
    vote = election.steps.get(kind="first_round")
    assert election_reminders_send(today=vote.due_date) == 0


def test_other_delays_are_a_setting(world, election):
    election.reminder_days = "3"
    election.save()
    step = election.steps.get(kind="lists_posting")
    assert election_reminders_send(today=step.due_date - timedelta(days=7)) == 0
    assert election_reminders_send(today=step.due_date - timedelta(days=3)) == 1


def test_the_job_is_declared():
    assert [job.name for job in JOBS] == ["elections-reminders"]
    assert JOBS[0].task.call() >= 0


def test_the_notification_reads_well_and_leads_to_the_election(world, election, alice_client):
    from django.urls import reverse

    step = election.steps.get(kind="lists_filing")
    election_reminders_send(today=step.due_date - timedelta(days=7))
    page = alice_client.get(reverse("feed:notifications")).content.decode()
    assert "Une étape d’une élection approche" in page
    assert "Élections CSE 2027 : Dépôt des listes de candidats dans 7 jours" in page
    note = _notes(world.alice)[0]
    response = alice_client.get(reverse("feed:notification_open", args=[note.code]))
    assert response["Location"] == reverse("elections:detail", args=[election.code])
