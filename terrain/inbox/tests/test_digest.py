"""The weekly digest: Monday morning in Paris, once per structure and week, only where there is an inbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from terrain.atelier.models import ConnectedAccount
from terrain.inbox.digest import digest_week, digests_send
from terrain.inbox.models import DigestSent
from terrain.inbox.tests.crisis_helpers import thread

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MONDAY_9 = datetime(2030, 3, 11, 9, 0, tzinfo=PARIS)  # a Monday


@pytest.fixture
def connected(world):
    return ConnectedAccount.objects.create(structure=world.section, network="mastodon", handle="@section")


def test_only_monday_from_the_hour_paris_time():
    assert digest_week(MONDAY_9) == MONDAY_9.date()
    assert digest_week(MONDAY_9.replace(hour=7)) is None
    assert digest_week(MONDAY_9 + timedelta(days=1)) is None
    # 23:30 on Sunday in UTC is already Monday 00:30 in Paris, before the hour.
    assert digest_week(datetime(2030, 3, 10, 23, 30, tzinfo=ZoneInfo("UTC"))) is None


def test_the_digest_goes_once_per_week_with_last_weeks_figures(world, alice, bob, connected):
    alice.language = "en"  # the recipient's language (the words checked below)
    alice.save(update_fields=["language"])
    thread(world.section, at=MONDAY_9 - timedelta(days=3), replied_after=timedelta(minutes=45), items=3)
    thread(world.section, at=MONDAY_9 - timedelta(days=2), text="Toujours sans réponse")
    thread(world.section, at=MONDAY_9 - timedelta(days=10), replied_after=timedelta(hours=5))  # the week before
    thread(world.syndicat, at=MONDAY_9 - timedelta(days=2))  # no account, no watch: no digest

    assert digests_send(now=MONDAY_9) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]  # the official, not the member
    body = mail.outbox[0].body
    assert "45 min" in body and "1 of 2" in body
    assert DigestSent.objects.get().week == MONDAY_9.date()

    assert digests_send(now=MONDAY_9 + timedelta(minutes=15)) == 0
    assert len(mail.outbox) == 1
    assert digests_send(now=MONDAY_9 + timedelta(days=7)) == 1  # next week's
