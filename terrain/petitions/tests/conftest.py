from __future__ import annotations

import pytest

from terrain.petitions import services
from terrain.public.services import site_publish, site_save


@pytest.fixture
def site(world):
    site = site_save(structure=world.section, by=world.alice, slug="section-exemple", tagline="Ensemble")
    return site_publish(site=site, by=world.alice)


@pytest.fixture
def petition(world, site):
    petition = services.petition_save(
        structure=world.section,
        by=world.alice,
        title="Des remplaçant·es pour les congés",
        text="Nous demandons à la direction de remplacer chaque congé.",
        goal=100,
    )
    return services.petition_move(petition=petition, to="open", by=world.alice)


@pytest.fixture
def sign(client, petition, site, django_capture_on_commit_callbacks):
    """Post a signature as a visitor; returns the response (its tasks and e-mails run)."""

    def _sign(email="nadia@example.org", *, who=None, address="203.0.113.7", **fields):
        data = {"first_name": "Nadia", "last_name": "Benali", "email": email, **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return (who or client).post(f"/s/{site.slug}/petitions/{petition.code}/signer/", data, REMOTE_ADDR=address)

    return _sign
