"""The engine when a connector's library fails in a way nobody classified (a bug, a RecursionError)."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from terrain.atelier.models import Message, Publication
from terrain.atelier.services.engine import publication_run
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.publishing_fake import make_account, make_message, pouet  # noqa: F401
from terrain.networks.base import Connector, TransientError, UncertainOutcome
from terrain.networks.registry import get_connector

State = Publication.State


def overflow(*args, **kwargs):
    raise RecursionError("maximum recursion depth exceeded while calling a Python object")


def test_every_connector_turns_a_surprise_into_a_classified_error():
    class Surprising(Connector):
        kind = "surprising"
        label = "Surprise"
        max_chars = 10

        def publish(self, account, content):
            overflow()

        def validate_credentials(self, account):
            raise KeyError("id")

    with pytest.raises(UncertainOutcome) as sent:  # the post may have left before the surprise
        Surprising().publish(None, None)
    with pytest.raises(TransientError) as read:
        Surprising().validate_credentials(None)
    assert not isinstance(read.value, UncertainOutcome)
    for caught in (sent, read):
        assert "Surprise" in caught.value.message
        assert "recursion" not in caught.value.message.lower()
        assert "KeyError" not in caught.value.message


@pytest.mark.django_db
def test_a_library_that_always_overflows_fails_after_the_last_attempt_with_a_reason(world, pouet, settings):
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 3
    account = make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=[account])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    publication = message.publications.get()
    connector = get_connector("pouet")
    connector._call = overflow  # the instance's HTTP helper: the classifying wrapper stays in place

    outcomes = []
    for _ in range(5):
        Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
        outcomes.append(publication_run(publication_id=publication.pk, worker="test"))

    assert outcomes[:3] == ["checking", "checking", "failed"]
    assert set(outcomes[3:]) == {"taken"}  # final: never sent back to be checked again
    publication.refresh_from_db()
    assert publication.state == State.FAILED
    assert "Pouet" in publication.last_error or "pouet" in publication.last_error.lower()
    assert "RecursionError" not in publication.last_error
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


@pytest.mark.django_db
def test_a_connector_outside_the_base_class_is_bounded_too_and_its_error_stays_in_the_log(world, pouet, settings):
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 2
    account = make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=[account])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    publication = message.publications.get()
    connector = get_connector("pouet")
    connector.publish = overflow  # an instance attribute: past the classifying wrapper
    connector.find_published = lambda account, content: None

    outcomes = []
    for _ in range(3):
        Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
        outcomes.append(publication_run(publication_id=publication.pk, worker="test"))

    assert outcomes == ["checking", "failed", "taken"]
    publication.refresh_from_db()
    assert "RecursionError" not in publication.last_error
    assert "inattendue" in publication.last_error
    # The author is told, in a summary that fits its column whatever the reason's length.
    from terrain.feed.models import Notification

    summary = Notification.objects.get(user=world.alice, reason="publication_failed").summary
    assert "inattendue" in summary and len(summary) <= 200
