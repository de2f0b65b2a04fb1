"""Announcing a published message to the relays, the daily digest, counting shares."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from terrain.atelier.models import Message
from terrain.cooperatives.models import Membership
from terrain.cooperatives.services import membership_remove
from terrain.feed.models import Notification
from terrain.relays.models import DigestItem, RelaySubscription
from terrain.relays.periodic import JOBS
from terrain.relays.selectors import relay_counts
from terrain.relays.services import (
    relay_record,
    relay_subscribe,
    relay_unsubscribe,
    relays_announce,
    relays_send_digests,
)
from terrain.relays.tasks import relays_send_digests_task
from terrain.relays.tests.conftest import publish_message
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db
Mode = RelaySubscription.Mode


@pytest.fixture
def members(world):
    """Three more members of the section, one per mode; bob follows in the app."""
    people = {}
    for mode in (Mode.EMAIL, Mode.DIGEST, Mode.APP):
        person = make_user(f"Relais {mode}")
        structure_member_add(structure=world.section, user=person)
        relay_subscribe(user=person, structure=world.section, mode=mode)
        people[mode] = person
    relay_subscribe(user=world.bob, structure=world.section, mode=Mode.APP)
    return people


def test_the_hook_is_declared_in_settings():
    assert "terrain.relays.services.relays_announce_many" in settings.ATELIER_ON_PUBLISHED


def test_only_members_subscribe(world):
    with pytest.raises(PermissionError):
        relay_subscribe(user=world.charlie, structure=world.section, mode=Mode.APP)
    with pytest.raises(PermissionError):  # bob is not a member of the union above his section
        relay_subscribe(user=world.bob, structure=world.syndicat, mode=Mode.APP)


def test_announce_notifies_emails_and_queues_once(world, members, message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        told = relays_announce(message=message)
    assert told == 4  # bob and the three; alice wrote it
    notes = Notification.objects.filter(reason=Notification.Reason.RELAY_REQUEST)
    assert {n.user for n in notes} == {world.bob, *members.values()}
    assert all(n.target_url == f"/relais/m/{message.code}/" for n in notes)
    assert "Pause déjeuner" in notes.first().summary
    assert [m.to for m in mail.outbox] == [[members[Mode.EMAIL].email]]
    assert message.code in mail.outbox[0].body
    assert "Section Hôpital Nord" in mail.outbox[0].subject
    assert list(DigestItem.objects.values_list("user", flat=True)) == [members[Mode.DIGEST].pk]

    # The hook may run twice: nobody hears twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_announce(message=message) == 0
    assert notes.count() == 4
    assert len(mail.outbox) == 1


def test_announce_skips_drafts_and_people_who_left(world, members, django_capture_on_commit_callbacks):
    draft = publish_message(world.section, author=world.alice, status=Message.Status.DRAFT)
    assert relays_announce(message=draft) == 0
    leaving = Membership.objects.get(cooperative=world.private_coop, user=members[Mode.APP])
    membership_remove(membership=leaving, by=world.alice)
    message = publish_message(world.section, author=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_announce(message=message) == 3
    assert not Notification.objects.filter(user=members[Mode.APP]).exists()


def test_daily_digest_gathers_posts_in_one_email_once(world, members, django_capture_on_commit_callbacks):
    first = publish_message(world.section, author=world.alice, title="Première")
    second = publish_message(world.section, author=world.alice, title="Seconde")
    with django_capture_on_commit_callbacks(execute=True):
        relays_announce(message=first)
        relays_announce(message=second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_send_digests_task.enqueue().return_value == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [members[Mode.DIGEST].email]
    assert "2 publications à relayer" in digest.subject
    assert first.code in digest.body and second.code in digest.body
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_send_digests() == 0
    assert len(mail.outbox) == 1


def test_unsubscribing_drops_the_waiting_digest(world, members, message, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        relays_announce(message=message)
    relay_unsubscribe(user=members[Mode.DIGEST], structure=world.section)
    assert not DigestItem.objects.exists()


def test_digest_job_is_declared_daily():
    (job,) = JOBS
    assert job.every == timedelta(days=1)
    assert job.task is relays_send_digests_task


def test_a_share_counts_once_per_member_and_network(world, message):
    assert relay_record(message=message, user=world.bob, network="mastodon") is True
    assert relay_record(message=message, user=world.bob, network="mastodon") is False
    relay_record(message=message, user=world.bob, network="whatsapp")
    relay_record(message=message, user=world.alice, network="mastodon")
    assert relay_counts(message) == {"mastodon": 2, "whatsapp": 1}


def test_the_engine_announces_a_batch_each_to_its_own_relays_once(world, members, django_capture_on_commit_callbacks):
    from terrain.relays.services import relays_announce_many

    union_member = make_user("Relais union")
    structure_member_add(structure=world.syndicat, user=union_member)
    relay_subscribe(user=union_member, structure=world.syndicat, mode=Mode.EMAIL)
    section_post = publish_message(world.section, author=world.alice, title="Section")
    union_post = publish_message(world.syndicat, author=world.alice, title="Syndicat")
    earlier = publish_message(world.section, author=world.alice, title="Déjà annoncé")
    with django_capture_on_commit_callbacks(execute=True):
        relays_announce(message=earlier)
    mail.outbox.clear()
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        told = relays_announce_many(messages=[section_post, union_post, earlier])

    assert told == 4 + 1  # the section's four for its post, the union's one for its own; nothing for "earlier"
    by_target = {}
    for note in Notification.objects.filter(reason=Notification.Reason.RELAY_REQUEST):
        by_target.setdefault(note.target_url, set()).add(note.user)
    assert by_target == {
        f"/relais/m/{section_post.code}/": {world.bob, *members.values()},
        f"/relais/m/{union_post.code}/": {union_member},
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([members[Mode.EMAIL].email, union_member.email])
