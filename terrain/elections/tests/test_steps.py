"""The calendar: the usual steps placed from the vote date, the countdown."""

from __future__ import annotations

from datetime import date

import pytest

from terrain.elections import steps
from terrain.elections.models import Step
from terrain.elections.services import election_create, election_steps_replan, election_update

pytestmark = pytest.mark.django_db


def test_step_dates_from_the_vote_date():
    dates = {kind.key: day for kind, day in steps.step_dates(date(2027, 3, 30))}
    assert dates["first_round"] == date(2027, 3, 30)
    assert dates["second_round"] == date(2027, 4, 14)  # within 15 days
    assert dates["staff_information"] == date(2026, 12, 30)  # 90 days before
    assert dates["union_invitation"] < dates["first_meeting"]
    assert (dates["first_meeting"] - dates["union_invitation"]).days >= 15
    assert dates["protocol_signature"] < dates["lists_filing"] < dates["lists_posting"] < dates["first_round"]
    assert dates["minutes_sent"] > dates["second_round"]


def test_a_given_second_round_moves_the_steps_after_it():
    dates = {kind.key: day for kind, day in steps.step_dates(date(2027, 3, 30), date(2027, 4, 8))}
    assert dates["second_round"] == date(2027, 4, 8)
    assert dates["minutes_sent"] == date(2027, 4, 23)


@pytest.mark.parametrize(
    ("day", "today", "text"),
    [
        (date(2027, 1, 13), date(2027, 1, 1), "J-12"),
        (date(2027, 1, 1), date(2027, 1, 1), "J"),
        (date(2027, 1, 1), date(2027, 1, 4), "J+3"),
    ],
)
def test_countdown(day, today, text):
    assert steps.countdown(day, today) == text


def test_creating_an_election_places_every_step(world):
    election = election_create(
        structure=world.section, by=world.alice, title="CSE", employer="Hôpital", vote_date=date(2027, 3, 30)
    )
    assert election.steps.count() == len(steps.STEP_KINDS)
    assert election.steps.get(kind="first_round").due_date == date(2027, 3, 30)
    assert election.days_before == [7, 1]


def test_replanning_moves_only_steps_not_done(world):
    election = election_create(
        structure=world.section, by=world.alice, title="CSE", employer="Hôpital", vote_date=date(2027, 3, 30)
    )
    Step.objects.filter(election=election, kind="staff_information").update(done=True)
    election_update(election=election, by=world.alice, vote_date=date(2027, 4, 6))
    assert election_steps_replan(election=election, by=world.alice) == len(steps.STEP_KINDS) - 1
    assert election.steps.get(kind="first_round").due_date == date(2027, 4, 6)
    assert election.steps.get(kind="staff_information").due_date == date(2026, 12, 30)
