"""A relay notification leads to the message's relay page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.feed.models import Notification
from terrain.relays.services import relay_subscribe, relays_announce

pytestmark = pytest.mark.django_db


def test_a_relay_notification_opens_the_relay_page(world, message, bob_client, django_capture_on_commit_callbacks):
    relay_subscribe(user=world.bob, structure=world.section, mode="app")
    with django_capture_on_commit_callbacks(execute=True):
        relays_announce(message=message)
    notification = Notification.objects.get(user=world.bob)
    page = bob_client.get(reverse("feed:notifications")).content.decode()
    assert "Une publication à relayer\u00a0: «\u00a0Pause déjeuner\u00a0»" in page
    response = bob_client.get(reverse("feed:notification_open", args=[notification.code]))
    assert response["Location"] == reverse("relays:message", args=[message.code])
