"""Response figures: counts, exact medians, the share answered within a day, per network and tone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from terrain.inbox.figures import duration_text, response_figures, waiting_longest
from terrain.inbox.models import Status
from terrain.inbox.tests.crisis_helpers import thread
from terrain.inbox.tone import Tone

pytestmark = pytest.mark.django_db


def test_figures_with_known_data(world):
    now = timezone.now()
    section = world.section
    day = now - timedelta(days=3)
    thread(section, at=day, replied_after=timedelta(minutes=30), items=2)
    thread(section, at=day, replied_after=timedelta(hours=2), tone=Tone.CRITICAL)
    thread(section, at=day, replied_after=timedelta(hours=30), tone=Tone.CRITICAL)
    thread(section, at=day, network="bluesky", replied_after=timedelta(hours=1), tone=Tone.QUESTION)
    thread(section, at=day, network="bluesky", tone=Tone.HOSTILE)  # not answered
    thread(section, at=now - timedelta(days=40), replied_after=timedelta(minutes=1))  # out of the period
    thread(world.syndicat, at=day, replied_after=timedelta(minutes=1))  # another structure

    figures = response_figures(structure=section, since=now - timedelta(days=7), until=now)

    total = figures.total
    assert (total.received, total.conversations, total.answered) == (6, 5, 4)
    assert total.median == timedelta(minutes=90)  # 30 min, 1 h, 2 h, 30 h
    assert total.within_day == 3 and total.within_day_share == 60
    by_network = {line.key: line for line in figures.networks}
    assert by_network["mastodon"].median == timedelta(hours=2)  # 30 min, 2 h, 30 h
    assert (by_network["mastodon"].received, by_network["mastodon"].answered) == (4, 3)
    assert by_network["bluesky"].median == timedelta(hours=1)
    assert by_network["bluesky"].answered_share == 50
    by_tone = {line.key: line for line in figures.tones}
    assert by_tone[Tone.CRITICAL].median == timedelta(hours=16)  # 2 h and 30 h
    assert by_tone[Tone.HOSTILE].answered == 0 and by_tone[Tone.HOSTILE].median is None
    assert Tone.POSITIVE not in by_tone  # nothing of that tone


def test_no_data_gives_empty_figures(world):
    now = timezone.now()
    figures = response_figures(structure=world.section, since=now - timedelta(days=7), until=now)
    assert figures.total.conversations == 0 and figures.total.median is None
    assert figures.total.answered_share is None and figures.networks == []


def test_waiting_longest_is_the_oldest_unanswered(world):
    now = timezone.now()
    old = thread(world.section, at=now - timedelta(days=3))
    thread(world.section, at=now - timedelta(days=1))
    thread(world.section, at=now - timedelta(days=5), replied_after=timedelta(hours=1))
    closed = thread(world.section, at=now - timedelta(days=9))
    closed.status = Status.CLOSED
    closed.save()
    waiting = waiting_longest(structure=world.section)
    assert [c.pk for c in waiting][:1] == [old.pk] and len(waiting) == 2


def test_durations_read_at_a_glance():
    translation.activate("en")
    assert duration_text(timedelta(minutes=35)) == "35 min"
    assert duration_text(timedelta(hours=4, minutes=10)) == "4 h 10"
    assert duration_text(timedelta(days=2, hours=3)) == "2 days 3 h"
    assert duration_text(None) == "—"
