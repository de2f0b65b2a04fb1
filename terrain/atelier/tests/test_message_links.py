"""Links the engine writes into notifications are reversed, so they follow the URL configuration."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix

from terrain.atelier.services.engine import publication_run
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.publishing_fake import make_account, make_message, pouet  # noqa: F401
from terrain.feed.models import Notification


@pytest.fixture
def under_a_prefix():
    # Terrain served under /terrain/ (FORCE_SCRIPT_NAME), as the worker sees it too.
    before = get_script_prefix()
    set_script_prefix("/terrain/")
    yield
    set_script_prefix(before)


@pytest.mark.django_db
def test_the_published_notification_links_to_the_message_under_the_script_prefix(world, pouet, under_a_prefix):
    account = make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=[account])
    message_schedule(message=message, at=message.created_at, by=world.alice)
    publication_run(publication_id=message.publications.get().pk, worker="test")
    notification = Notification.objects.get(user=world.alice, reason="message_published")
    assert notification.target_url == reverse("atelier:message_detail", args=[message.code])
    assert notification.target_url.startswith("/terrain/")
