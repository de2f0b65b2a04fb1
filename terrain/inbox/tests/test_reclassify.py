"""Stored items triaged again after the tone rules change: ``manage.py tone_reclassify``."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from terrain.inbox.models import Conversation, Item
from terrain.inbox.tests.crisis_helpers import thread
from terrain.inbox.tone import PRIORITY, Tone

pytestmark = pytest.mark.django_db


def test_items_and_threads_take_the_tone_of_the_current_rules(world):
    at = timezone.now() - timedelta(days=1)
    # Stored under older rules: praise called hostile, and a thread of two items.
    praised = thread(world.section, at=at, tone=Tone.HOSTILE, text="Bravo les camarades, merci !")
    mixed = thread(world.section, at=at, tone=Tone.NEUTRAL, items=2, text="Un commentaire")
    second = mixed.items.order_by("created_at").last()
    Item.objects.filter(pk=second.pk).update(text="Bande de vendus, honte à vous")
    untouched = thread(world.section, at=at, tone=Tone.NEUTRAL, text="Rendez-vous devant l'hôpital à 12 h")

    out = StringIO()
    call_command("tone_reclassify", "--batch", "2", stdout=out)
    # Every item changed: two tones, and the reasons these rows were stored without.
    assert out.getvalue() == "4 items triaged anew, 2 threads changed tone.\n"

    item = praised.items.get()
    assert item.tone == Tone.POSITIVE and item.tone_reason  # the reason shown, in the site's language
    praised.refresh_from_db()
    assert (praised.tone, praised.priority) == (Tone.POSITIVE, PRIORITY[Tone.POSITIVE])
    mixed.refresh_from_db()
    assert (mixed.tone, mixed.priority) == (Tone.HOSTILE, PRIORITY[Tone.HOSTILE])  # its most urgent item
    untouched.refresh_from_db()
    assert untouched.tone == Tone.NEUTRAL

    out = StringIO()
    call_command("tone_reclassify", stdout=out)  # run again: nothing left to do
    assert out.getvalue() == "0 items triaged anew, 0 threads changed tone.\n"
    assert Conversation.objects.count() == 3
