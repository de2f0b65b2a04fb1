"""How long ago, in words: the same words as Django's timesince, in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.timesince import timesince

from terrain.core.templatetags.terrain import _ago, ago

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DELTAS = [
    timedelta(seconds=30),
    *(timedelta(minutes=n) for n in (1, 2, 5, 59, 60, 61, 119)),
    *(timedelta(hours=n) for n in (1, 2, 23, 24, 25, 47)),
    *(timedelta(days=n) for n in (1, 2, 6, 7, 8, 13, 14, 27, 28, 29, 30, 31, 59, 61, 300, 364, 365, 366, 730, 800)),
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_ago_says_what_timesince_says(language):
    with translation.override(language), mock.patch("django.utils.timezone.now", return_value=NOW):
        for _ in range(2):  # the second time from the translations already made
            for delta in DELTAS:
                value = NOW - delta
                if delta < timedelta(minutes=1):
                    expected = translation.gettext("just now")
                else:
                    expected = translation.gettext("%(delta)s ago") % {"delta": timesince(value, NOW, depth=1)}
                assert ago(value) == expected


def test_ago_in_french_and_english_one_after_the_other():
    value = NOW - timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        with translation.override("fr"):
            assert ago(value) == "il y a 3\xa0heures"
        with translation.override("en"):
            assert ago(value) == "3\xa0hours ago"
        with translation.override("fr"):
            assert ago(NOW - timedelta(days=1)) == "il y a 1\xa0jour"


def _walk(value, start, stop, steps):
    """Every instant of ``steps`` (seconds) from ``start`` to ``stop``: ``ago`` (from its memo when it
    can) must always say what a fresh computation says."""
    now = start
    index = 0
    while now < stop:
        with mock.patch("django.utils.timezone.now", return_value=now):
            assert ago(value) == _ago(value, now), (value, now)
        now += timedelta(seconds=steps[index % len(steps)])
        index += 1


@pytest.mark.parametrize("language", ["fr", "en"])
def test_ago_from_its_memo_changes_exactly_when_timesince_does(language):
    steps = [0.25, 7, 0.5, 13.3, 1, 29, 0.1, 3]
    paris = ZoneInfo("Europe/Paris")
    with translation.override(language):
        # Minutes and hours, microseconds on the date.
        value = datetime(2026, 3, 1, 10, 0, 30, 500_000, tzinfo=UTC)
        _walk(value, value - timedelta(seconds=5), value + timedelta(minutes=4), steps)
        _walk(value, value + timedelta(minutes=58), value + timedelta(minutes=63), steps)
        # A month's end: the 31st seen from the end of April (two months, then three at midnight).
        value = datetime(2026, 1, 31, 10, 0, 30, 500_000, tzinfo=UTC)
        _walk(value, datetime(2026, 4, 30, 23, 57, tzinfo=UTC), datetime(2026, 5, 1, 0, 3, tzinfo=UTC), steps)
        _walk(value, datetime(2026, 4, 30, 9, 58, tzinfo=UTC), datetime(2026, 4, 30, 10, 3, tzinfo=UTC), steps)
        # A year, and a date in another zone (whole hours from UTC).
        value = datetime(2025, 3, 1, 11, 0, 0, 250_000, tzinfo=paris)
        _walk(value, datetime(2026, 3, 1, 9, 58, tzinfo=UTC), datetime(2026, 3, 1, 10, 3, tzinfo=UTC), steps)
        _walk(value, datetime(2026, 2, 28, 22, 57, tzinfo=UTC), datetime(2026, 2, 28, 23, 3, tzinfo=UTC), steps)
