"""Reads of the elections kit, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from terrain.elections.models import Candidate, College, Election, Step
from terrain.elections.parity import ParityResult, check_list
from terrain.elections.steps import countdown


@dataclass(frozen=True)
class CollegeView:
    college: College
    candidates: list[Candidate]
    parity: ParityResult


def elections_of(structure) -> QuerySet[Election]:
    return Election.objects.filter(structure=structure).order_by("-vote_date", "-id")


def published_elections(structure) -> QuerySet[Election]:
    return Election.objects.filter(structure=structure, status=Election.Status.PUBLISHED).order_by("vote_date", "id")


def colleges_with_parity(election: Election) -> list[CollegeView]:
    colleges = election.colleges.prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.order_by("position", "id"))
    )
    views = []
    for college in colleges:
        candidates = list(college.candidates.all())
        parity = check_list(
            [c.gender for c in candidates],
            seats=college.seats,
            electorate_women=college.electorate_women,
            electorate_men=college.electorate_men,
        )
        views.append(CollegeView(college, candidates, parity))
    return views


def next_step(election: Election, today: date) -> Step | None:
    return election.steps.filter(done=False, due_date__gte=today).order_by("due_date", "id").first()


def vote_countdown(election: Election, today: date) -> str:
    return countdown(election.vote_date, today)
