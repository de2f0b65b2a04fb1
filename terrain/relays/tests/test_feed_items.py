"""The workshop's events in the feed of the structure's members (``feed.items``): a published
message (``atelier.feed_items``) and the call to relay it (``relays.feed_items``), one card."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from terrain.atelier.feed_items import MESSAGE_PUBLISHED, messages_to_feed
from terrain.atelier.services.engine import run_published_hooks
from terrain.feed.models import Activity
from terrain.news.services import post_create
from terrain.relays.feed_items import RELAY_CAMPAIGN
from terrain.relays.services import relays_announce_many
from terrain.relays.tests.conftest import publish_message

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card (?:post|feed-item)[^"]*" id="((?:post|activity)-\w+)"', html)


def test_the_hooks_are_declared_in_settings():
    assert "terrain.atelier.feed_items.messages_to_feed" in settings.ATELIER_ON_PUBLISHED


def test_a_published_message_reaches_the_feed_of_the_structure_members_once(world, bob_client, charlie_client):
    older = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Avant</p>")
    message = publish_message(world.section, author=world.alice, title="Grève jeudi", body="Tous à 11 h.")
    run_published_hooks(messages=[message])
    run_published_hooks(messages=[message])  # a worker restarted: the hooks run again
    newer = post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Après</p>")

    [published] = Activity.objects.filter(verb=MESSAGE_PUBLISHED, target_id=message.pk)
    [campaign] = Activity.objects.filter(verb=RELAY_CAMPAIGN, target_id=message.pk)
    html = bob_client.get(reverse("feed:home")).content.decode()
    cards = _cards(html)
    # One card for the message and its relay call (which leads it), between the posts of before and after.
    card = f"activity-{campaign.code}"
    assert f"activity-{published.code}" not in cards
    assert cards.index(f"post-{newer.code}") < cards.index(card) < cards.index(f"post-{older.code}")
    assert html.count("Grève jeudi") == 1
    assert reverse("relays:message", args=[message.code]) in html
    assert "Section Hôpital Nord a publié un message sur ses réseaux" in html
    # Not a member of the section: not in his feed.
    assert "Grève jeudi" not in charlie_client.get(reverse("feed:home")).content.decode()


def test_a_message_alone_has_its_own_card_without_relay_call(world, bob_client):
    message = publish_message(world.section, author=world.alice, title="Grève jeudi")
    assert messages_to_feed(messages=[message]) == 1

    html = bob_client.get(reverse("feed:home")).content.decode()

    assert "Grève jeudi" in html
    assert reverse("relays:message", args=[message.code]) not in html


def test_unpublished_messages_stay_out_of_the_feed(world):
    from terrain.atelier.models import Message

    draft = publish_message(world.section, author=world.alice, status=Message.Status.DRAFT)
    assert messages_to_feed(messages=[draft]) == 0
    assert relays_announce_many(messages=[draft]) == 0
    assert not Activity.objects.filter(target_id=draft.pk, verb__in=[MESSAGE_PUBLISHED, RELAY_CAMPAIGN]).exists()
