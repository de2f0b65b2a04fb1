"""Fixtures of the FAQ tests: a theme and an entry in the section's cooperative (alice animates it,
bob is a member), and dora, facilitator of the union départementale's cooperative above it."""

from __future__ import annotations

import pytest
from django.test import Client

from terrain.faq.services import faq_entry_create, theme_create
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.factories import make_user


@pytest.fixture
def theme(world):
    return theme_create(cooperative=world.private_coop, name="Adhésion et cotisations", by=world.alice)


@pytest.fixture
def entry(world, theme):
    return faq_entry_create(
        cooperative=world.private_coop,
        theme=theme,
        question="Combien coûte l’adhésion ?",
        answer_html="<div>La cotisation vaut <strong>1 %</strong> du salaire net.</div>",
        by=world.alice,
    )


@pytest.fixture
def dora(world):
    user = make_user("Dora Lemaire", email="dora@example.org")
    world.ud.refresh_from_db()
    official_add(structure=world.ud, user=user, role=OfficialRole.SECRETAIRE)
    return user


@pytest.fixture
def dora_client(dora) -> Client:
    client = Client()
    client.force_login(dora)
    return client


@pytest.fixture
def ud_entry(world, dora):
    ud_coop = world.ud.cooperative
    ud_theme = theme_create(cooperative=ud_coop, name="Droit du travail", by=dora)
    return faq_entry_create(
        cooperative=ud_coop,
        theme=ud_theme,
        question="Qu’est-ce qu’une heure de délégation ?",
        answer_html="<div>Du temps payé pour le mandat.</div>",
        by=dora,
    )
