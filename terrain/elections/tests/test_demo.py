"""The demo election loads on a world like the demo's, twice without doubling, and its pages work."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from terrain.demo import elections as demo
from terrain.elections.models import Election
from terrain.elections.selectors import colleges_with_parity

pytestmark = pytest.mark.django_db


def test_demo_election(client, world, alice_client):
    demo_world = SimpleNamespace(structures={"hopital": world.section}, people={"animatrice": world.alice})
    demo.load(demo_world)
    demo.load(demo_world)  # idempotent
    election = Election.objects.get()
    assert election.status == Election.Status.PUBLISHED
    assert (election.vote_date - election.created_at.date()).days in (39, 40, 41)
    verdicts = [view.parity.compliant for view in colleges_with_parity(election)]
    assert verdicts == [True, False]
    assert election.steps.filter(done=True).count() == 3
    assert alice_client.get(reverse("elections:detail", args=[election.code])).status_code == 200
    site = world.section.site
    assert client.get(reverse("elections_public:detail", args=[site.slug, election.code])).status_code == 200
