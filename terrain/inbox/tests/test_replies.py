"""Answering from the inbox: approval when the workshop requires it, sent once, failures kept."""

from __future__ import annotations

import pytest

from terrain.atelier.models import Strategy
from terrain.inbox import services
from terrain.inbox.access import inbox_access
from terrain.inbox.models import Conversation, Item, Reply, Status
from terrain.inbox.tests.conftest import said
from terrain.networks.base import InboundPage, TransientError

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def thread(account, network):
    network.script = [InboundPage(items=(said(1, parent="ours-1"),), cursor="c1")]
    services.read_account_stream(account, "notifications")
    return Conversation.objects.get(), Item.objects.get()


def test_an_official_answers_at_once_and_the_thread_is_answered(world, thread, network, on_commit):
    conversation, item = thread
    access = inbox_access(user=world.alice, structure=world.section)
    with on_commit(execute=True):
        reply = services.reply_create(
            conversation=conversation, item=item, text="Salle 12.", by=world.alice, access=access
        )
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT and reply.remote_id == "r-s1"
    assert network.replies == [("s1", "Salle 12.", reply.marker)]
    conversation.refresh_from_db()
    assert conversation.status == Status.ANSWERED and conversation.first_reply_at is not None
    assert services.reply_send(reply.pk) == Reply.State.SENT  # sent again? no
    assert len(network.replies) == 1


def test_a_writer_waits_for_approval_when_the_workshop_requires_it(world, thread, network, on_commit):
    conversation, item = thread
    strategy = Strategy.objects.create(structure=world.section, approval_required=True)
    strategy.writers.add(world.bob)
    access = inbox_access(user=world.bob, structure=world.section)
    assert access.can_read and not access.can_approve
    reply = services.reply_create(conversation=conversation, item=item, text="Bonjour", by=world.bob, access=access)
    assert reply.state == Reply.State.PENDING_APPROVAL and network.replies == []
    assert Conversation.objects.get().status == Status.IN_PROGRESS
    with on_commit(execute=True):
        assert services.reply_approve(reply=reply, by=world.alice)
    with on_commit(execute=True):
        assert not services.reply_approve(reply=reply, by=world.alice)  # approved twice: sent once
    assert len(network.replies) == 1
    assert Reply.objects.get().state == Reply.State.SENT


def test_a_failed_answer_keeps_its_reason_and_is_retried_with_the_same_marker(
    world, thread, network, monkeypatch, on_commit
):
    conversation, item = thread
    access = inbox_access(user=world.alice, structure=world.section)

    def refuse(self, account, to, content):
        raise TransientError("Mastodon ne répond pas")

    monkeypatch.setattr(network, "reply", refuse)
    with on_commit(execute=True):
        reply = services.reply_create(conversation=conversation, item=item, text="Oui", by=world.alice, access=access)
    reply.refresh_from_db()
    assert reply.state == Reply.State.FAILED and reply.error == "Mastodon ne répond pas"
    monkeypatch.undo()
    with on_commit(execute=True):
        assert services.reply_retry(reply=reply, by=world.alice)
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT and network.replies[-1][2] == reply.marker
