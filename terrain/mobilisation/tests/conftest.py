from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from terrain.mobilisation import services
from terrain.mobilisation.models import EventKind
from terrain.public import services as site_services


@pytest.fixture
def site(world):
    site = site_services.site_save(structure=world.section, by=world.alice, slug="section-nord", commune="Lyon")
    return site_services.site_publish(site=site, by=world.alice)


def in_days(days: int, hour: int = 10) -> timezone.datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_event(world, *, published: bool = True, structure=None, **values):
    values.setdefault("kind", EventKind.DEMONSTRATION)
    values.setdefault("title", "Manifestation pour les salaires")
    values.setdefault("starts_at", in_days(3, 14))
    values.setdefault("ends_at", values["starts_at"] + timedelta(hours=3))
    event = services.event_create(structure=structure or world.section, by=world.alice, **values)
    if published:
        services.event_publish(event=event, published=True, by=world.alice)
    return event
