"""The demo inbox loads twice without harm: figures to show, a closed crisis with its timeline."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.demo import inbox_crisis as demo
from terrain.inbox.crisis import crisis_check, crisis_timeline
from terrain.inbox.figures import response_figures
from terrain.inbox.models import Crisis

pytestmark = pytest.mark.django_db


def test_demo_inbox_loads_with_figures_and_a_closed_crisis(world, alice_client):
    world_like = SimpleNamespace(structures={"hopital": world.section}, people={"animatrice": world.alice})
    demo.load(world_like)
    demo.load(world_like)
    now = timezone.now()
    figures = response_figures(structure=world.section, since=now - timedelta(days=30), until=now)
    assert figures.total.answered > 10 and figures.total.median is not None
    crisis = Crisis.objects.get()
    assert crisis.state == Crisis.State.CLOSED
    moments = crisis_timeline(crisis)
    assert len(moments) > 16 and [m.at for m in moments] == sorted(m.at for m in moments)
    assert crisis_check() == []  # an old crisis opens nothing new
    assert alice_client.get(reverse("inbox_crisis:room", args=[crisis.code])).status_code == 200
    assert alice_client.get(reverse("inbox_crisis:figures", args=[world.section.code])).status_code == 200
