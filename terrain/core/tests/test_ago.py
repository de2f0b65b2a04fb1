"""How long ago, in words: the same words as Django's timesince, in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import translation
from django.utils.timesince import timesince

from terrain.core.templatetags.terrain import ago

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
