"""Crisis mode: a spike against the structure's own baseline opens one crisis and alerts once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext

from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.feed.models import Notification
from terrain.inbox import answers, services
from terrain.inbox.access import inbox_access
from terrain.inbox.crisis import (
    baseline,
    crisis_check,
    crisis_close,
    crisis_statement_update,
    crisis_timeline,
    fill_statement,
)
from terrain.inbox.models import Crisis, Note, Reply
from terrain.inbox.tests.crisis_helpers import heat, thread
from terrain.inbox.tone import Tone
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    """Half past an hour, in the past: times built from it are before the real clock's."""
    return timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(minutes=30)


@pytest.fixture
def approver(world):
    eve = make_user("Eve Approbatrice", email="eve@example.org")
    structure_member_add(structure=world.section, user=eve)
    strategy_get_or_create(structure=world.section).approvers.add(eve)
    return eve


def test_a_spike_opens_one_crisis_and_alerts_once(world, alice, approver, now, django_capture_on_commit_callbacks):
    heat(world.section, at=now - timedelta(minutes=50), n=14)
    with django_capture_on_commit_callbacks(execute=True):
        opened = crisis_check(now=now)
    assert len(opened) == 1
    crisis = opened[0]
    assert crisis.structure == world.section and crisis.state == Crisis.State.OPEN
    assert len(crisis.item_ids) == 14
    assert "14" in crisis.cause
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "eve@example.org"]
    assert "Personne" in mail.outbox[0].body  # the items that caused it
    assert Notification.objects.filter(reason="inbox_crisis").count() == 2

    heat(world.section, at=now + timedelta(minutes=1), n=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert crisis_check(now=now + timedelta(minutes=10)) == []
    assert Crisis.objects.count() == 1
    assert len(mail.outbox) == 2 and Notification.objects.filter(reason="inbox_crisis").count() == 2


def test_a_normal_day_opens_no_crisis(world, now, django_capture_on_commit_callbacks):
    # A few angry words on a quiet account, and a busy but ordinary stream of neutral replies.
    heat(world.section, at=now - timedelta(minutes=40), n=3)
    for i in range(30):
        thread(world.section, at=now - timedelta(minutes=59 - i))
    with django_capture_on_commit_callbacks(execute=True):
        assert crisis_check(now=now) == []
    assert not Crisis.objects.exists() and mail.outbox == []


def test_the_baseline_is_each_structures_own(world, now):
    # The syndicate usually hears 20 critical items an hour; the section, nothing.
    for hours_ago in range(7, 7 + 24):
        heat(world.syndicat, at=now - timedelta(hours=hours_ago), n=20, tone=Tone.CRITICAL, spacing=timedelta(0))
    heat(world.syndicat, at=now - timedelta(minutes=50), n=22, tone=Tone.CRITICAL)
    heat(world.section, at=now - timedelta(minutes=50), n=22, tone=Tone.CRITICAL)
    assert baseline(structure_id=world.syndicat.pk, now=now).hour.value > 22
    assert baseline(structure_id=world.section.pk, now=now).hour.value == 10  # the floor
    opened = crisis_check(now=now)
    assert [c.structure for c in opened] == [world.section]


def test_a_slow_build_over_six_hours_counts(world, now):
    heat(world.section, at=now - timedelta(hours=5, minutes=50), n=30, spacing=timedelta(minutes=11))
    assert [c.structure for c in crisis_check(now=now)] == [world.section]


def test_closing_does_not_reopen_on_the_same_items(world, alice, now):
    heat(world.section, at=now - timedelta(minutes=50), n=14)
    (crisis,) = crisis_check(now=now)
    assert crisis_close(crisis=crisis, by=alice)
    assert not crisis_close(crisis=crisis, by=alice)
    assert crisis_check(now=timezone.now() + timedelta(minutes=5)) == []


def test_during_a_crisis_a_writers_answer_waits_for_approval(world, bob, approver, now):
    strategy = strategy_get_or_create(structure=world.section)
    strategy.writers.add(bob)
    strategy.approval_required = False
    strategy.save()
    conversation = thread(world.section, at=now - timedelta(hours=1))
    item = conversation.items.first()
    writer = inbox_access(user=bob, structure=world.section)
    assert not services.reply_needs_approval(writer)

    heat(world.section, at=now - timedelta(minutes=50), n=14)
    crisis_check(now=now)
    reply = answers.reply_create(conversation=conversation, item=item, text="On regarde.", by=bob, access=writer)
    assert reply.state == Reply.State.PENDING_APPROVAL
    assert not services.reply_needs_approval(inbox_access(user=approver, structure=world.section))


def test_the_timeline_is_in_order(world, alice, now):
    heat(world.section, at=now - timedelta(minutes=50), n=11)
    answered = thread(
        world.section, at=now - timedelta(minutes=30), tone=Tone.CRITICAL, replied_after=timedelta(minutes=20)
    )
    Note.objects.create(conversation=answered, author=alice, text="Voir avec le bureau")
    (crisis,) = crisis_check(now=now)
    crisis_close(crisis=crisis, by=alice)
    crisis.refresh_from_db()
    moments = crisis_timeline(crisis)
    times = [m.at for m in moments]
    assert times == sorted(times)
    whats = [m.what for m in moments]
    assert whats[-1] == gettext("Crisis closed")
    assert sum(1 for m in moments if m.text.startswith("Un commentaire")) == 12
    assert any(m.text == "Merci, nous regardons." for m in moments)
    assert any(m.text == "Voir avec le bureau" for m in moments)


def test_the_statement_fills_its_placeholders(world, now):
    text = fill_statement("{structure} — {date} — {autre}", structure=world.section, when=now)
    assert text.startswith("Section Hôpital Nord — ") and text.endswith(" — {autre}")
    assert "{date}" not in text


def test_the_baseline_is_read_once_an_hour(world, now, django_assert_num_queries):
    heat(world.section, at=now - timedelta(hours=30), n=3)
    first = baseline(structure_id=world.section.pk, now=now)
    with django_assert_num_queries(0):
        assert baseline(structure_id=world.section.pk, now=now + timedelta(minutes=5)) == first
    heat(world.section, at=now - timedelta(hours=6, minutes=40), n=30)  # written after the first reading
    later = baseline(structure_id=world.section.pk, now=now + timedelta(minutes=45))
    assert later.six_hours.median > first.six_hours.median


def test_the_next_crisis_starts_from_the_teams_last_statement(world, alice, now):
    heat(world.section, at=now - timedelta(hours=30), n=14)
    (first,) = crisis_check(now=now - timedelta(hours=29))
    assert "{structure}" in first.statement  # the default template
    crisis_statement_update(crisis=first, text="{structure} répondra le {date}.", by=alice)
    crisis_close(crisis=first, by=alice)
    later = timezone.now() + timedelta(minutes=1)  # after the closing
    heat(world.section, at=later, n=14)
    (second,) = crisis_check(now=later + timedelta(minutes=20))
    assert second.statement == "{structure} répondra le {date}."
