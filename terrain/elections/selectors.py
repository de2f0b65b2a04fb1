"""Reads of the elections kit, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from terrain.elections.models import Candidate, College, Election, Step
from terrain.elections.parity import ParityResult, check_list
from terrain.elections.steps import countdown
from terrain.lib.sql import Statement, in_ids


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


def coming_votes_statement(connection, structure_ids: list[int], now: datetime) -> Statement:
    """``(structure id, vote date)`` of the published elections of these structures from today on,
    soonest first: the locator's cards (``registry.LocatorFacts``), in plain SQL."""
    table, quote = Election._meta.db_table, connection.ops.quote_name
    where, params = in_ids(connection, "e.structure_id", structure_ids)
    sql = (
        f"SELECT e.structure_id, e.vote_date FROM {quote(table)} e"  # noqa: S608 (names from _meta)
        f" WHERE {where} AND e.status = %s AND e.vote_date >= %s ORDER BY e.vote_date, e.id"
    )
    today = timezone.localtime(now).date()
    return sql, [*params, Election.Status.PUBLISHED.value, connection.ops.adapt_datefield_value(today)]
