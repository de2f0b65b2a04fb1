"""A message out on some accounts and failed on others: said so, found, and its failed part tried again once."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from terrain.atelier.message_selectors import messages_of, publication_summary
from terrain.atelier.models import Message, MessageEvent, Publication
from terrain.atelier.services.engine import publication_run
from terrain.atelier.services.publishing import message_retry_failed, message_schedule
from terrain.atelier.tests.publishing_fake import make_account, make_message, pouet  # noqa: F401

State = Publication.State
pytestmark = pytest.mark.django_db


def _run_due(*publications) -> list[str]:
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(
        next_try_at=timezone.now() - timedelta(seconds=1), claimed_until=None
    )
    return [publication_run(publication_id=p.pk, worker="test") for p in publications]


@pytest.fixture
def half_out(world, pouet, settings):
    """Out on @a, failed on @b (the server gave no answer twice)."""
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 1
    a = make_account(world.section, by=world.alice, handle="@a")
    b = make_account(world.section, by=world.alice, handle="@b")
    message = make_message(world.section, author=world.alice, accounts=[a, b])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    pa, pb = message.publications.get(account=a), message.publications.get(account=b)
    assert _run_due(pa) == ["published"]
    pouet.fail_next(503, path_contains="/api/statuses")
    assert _run_due(pb) == ["failed"]
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 8
    message.refresh_from_db()
    return message, pa, pb


def test_a_partly_published_message_says_where_it_failed_and_is_found_among_failures(world, half_out):
    message, pa, pb = half_out
    assert message.status == Message.Status.PUBLISHED  # it is out: the relays and the figures need it
    summary = publication_summary(messages_of(structure=world.section).get(pk=message.pk))
    assert summary.partly_failed
    assert [p.pk for p in summary.published] == [pa.pk]
    assert [p.pk for p in summary.failed] == [pb.pk]
    assert message in messages_of(structure=world.section, status_filter="echecs")
    assert message in messages_of(structure=world.section, status_filter="publies")


def test_retry_sends_only_what_failed_and_settles_the_message_again(
    world, half_out, pouet, django_capture_on_commit_callbacks
):
    message, pa, pb = half_out
    with django_capture_on_commit_callbacks(execute=True):
        retried = message_retry_failed(message=message, by=world.alice)

    assert [p.pk for p in retried] == [pb.pk]
    pa.refresh_from_db()
    pb.refresh_from_db()
    assert (pa.state, pb.state) == (State.PUBLISHED, State.PUBLISHED)
    assert len(pouet.posts_with(pa.marker)) == 1  # never twice
    assert len(pouet.posts_with(pb.marker)) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
    assert message.published_at == pa.published_at  # first out, as before
    assert not publication_summary(message).failed
    # Settled again: the history and the author hear how the second try went.
    assert message.events.filter(kind=MessageEvent.Kind.PUBLISHED).count() == 2
    assert message not in messages_of(structure=world.section, status_filter="echecs")
    assert (
        message.events.filter(kind=MessageEvent.Kind.SCHEDULED, actor=world.alice)
        .last()
        .text.startswith("Nouvel essai sur")
    )
    # Nothing failed any more: a second click sends nothing.
    with pytest.raises(ValidationError):
        message_retry_failed(message=message, by=world.alice)
    assert len(pouet.statuses) == 2


def test_retry_of_an_answer_lost_looks_on_the_network_first(world, pouet, settings):
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 1
    a = make_account(world.section, by=world.alice, handle="@a")
    message = make_message(world.section, author=world.alice, accounts=[a])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    publication = message.publications.get()
    pouet.drop_next(path_contains="/api/statuses")  # it got out, the answer was lost, and we gave up
    assert _run_due(publication) == ["failed"]
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED

    message_retry_failed(message=message, by=world.alice)

    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    publication.refresh_from_db()
    assert publication.state == State.CHECKING
    assert _run_due(publication) == ["found"]
    assert len(pouet.posts_with(publication.marker)) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED


def test_only_approvers_retry(world, half_out):
    message, _pa, _pb = half_out
    with pytest.raises(PermissionDenied):
        message_retry_failed(message=message, by=world.bob)
