from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from terrain.elections.services import candidates_replace, college_save, election_create
from terrain.public import services as public_services


@pytest.fixture
def election(world):
    election = election_create(
        structure=world.section,
        by=world.alice,
        title="Élections CSE 2027",
        employer="Hôpital Nord",
        vote_date=timezone.localdate() + timedelta(days=40),
        how_to_vote="Bureau de vote au self, de 7 h à 19 h.",
    )
    college = college_save(
        election=election, by=world.alice, name="Employés", seats=5, electorate_women=60, electorate_men=40
    )
    candidates_replace(
        college=college,
        by=world.alice,
        candidates=[
            {"name": "Sandrine Lopez", "gender": "F", "job": "Infirmière"},
            {"name": "Karim Haddad", "gender": "M", "job": ""},
            {"name": "Julie Moreau", "gender": "F", "job": ""},
        ],
    )
    return election


@pytest.fixture
def site(world):
    site = public_services.site_save(structure=world.section, by=world.alice, slug="section-exemple")
    return public_services.site_publish(site=site, by=world.alice)


def on(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
