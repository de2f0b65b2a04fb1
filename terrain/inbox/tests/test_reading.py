"""Reading the accounts' streams into the inbox: once, resumable, paced, never looping."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount
from terrain.feed.models import Notification
from terrain.inbox import services
from terrain.inbox.models import Conversation, Item, Status, Stream
from terrain.inbox.tests.conftest import T0, said
from terrain.networks.base import (
    AuthError,
    InboundItem,
    InboundPage,
    PermanentError,
    PermissionMissing,
    TransientError,
)

pytestmark = pytest.mark.django_db


def stream_of(account) -> Stream:
    return Stream.objects.get(source=services.account_source(account), name="notifications")


def test_items_are_stored_once_with_the_cursor_after_them(account, network):
    network.script = [
        InboundPage(items=(said(1, parent="ours-1"), said(2, parent="ours-1")), cursor="c2", more=True),
        InboundPage(items=(said(2, parent="ours-1"), said(3)), cursor="c3"),  # n2 again: a page retried
    ]
    assert services.read_account_stream(account, "notifications") == 3
    assert network.calls == ["", "c2"]
    assert stream_of(account).cursor == "c3"
    assert Item.objects.count() == 3
    # Both replies to our post are one thread; the mention is its own.
    thread = Conversation.objects.get(thread_key="ours-1")
    assert thread.items_count == 2 and thread.status == Status.NEW
    assert thread.first_item_at == T0 + timedelta(minutes=1) and thread.last_item_at == T0 + timedelta(minutes=2)
    assert Conversation.objects.count() == 2
    # Read again: the network gives the same items from an old cursor; nothing doubles.
    network.script = [InboundPage(items=(said(3),), cursor="c3")]
    assert services.read_account_stream(account, "notifications") == 0
    assert Item.objects.count() == 3


def test_an_answer_to_a_known_item_joins_its_thread(account, network):
    network.script = [InboundPage(items=(said(1, parent="ours-1"),), cursor="c1")]
    services.read_account_stream(account, "notifications")
    network.script = [InboundPage(items=(said(2, parent="n1"),), cursor="c2")]
    services.read_account_stream(account, "notifications")
    assert Conversation.objects.count() == 1
    assert Conversation.objects.get().items_count == 2


def test_a_closed_thread_that_hears_again_is_new_again(account, network):
    network.script = [InboundPage(items=(said(1, parent="ours-1"),), cursor="c1")]
    services.read_account_stream(account, "notifications")
    Conversation.objects.update(status=Status.CLOSED)
    network.script = [InboundPage(items=(said(2, parent="ours-1"),), cursor="c2")]
    services.read_account_stream(account, "notifications")
    assert Conversation.objects.get().status == Status.NEW


def test_a_crash_between_pages_loses_nothing_and_doubles_nothing(account, network, monkeypatch):
    network.script = [
        InboundPage(items=(said(1), said(2)), cursor="c2", more=True),
        InboundPage(items=(said(3),), cursor="c3"),
    ]
    real = services.store_page
    calls = {"n": 0}

    def dying(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # not an error the service handles: the process dies
        return real(**kwargs)

    monkeypatch.setattr(services, "store_page", dying)
    with pytest.raises(SystemExit):
        services.read_account_stream(account, "notifications")
    assert stream_of(account).cursor == "c2" and Item.objects.count() == 2
    monkeypatch.setattr(services, "store_page", real)
    network.script = [InboundPage(items=(said(3),), cursor="c3")]  # resumed from c2
    services.read_account_stream(account, "notifications")
    assert network.calls[-1] == "c2"
    assert sorted(Item.objects.values_list("remote_id", flat=True)) == ["n1", "n2", "n3"]


def test_a_429_keeps_the_position_and_waits_at_least_retry_after(account, network):
    network.script = [
        InboundPage(items=(said(1),), cursor="c1", more=True),
        TransientError("Trop de requêtes", status=429, retry_after=900),
    ]
    before = timezone.now()
    assert services.read_account_stream(account, "notifications") == 1
    stream = stream_of(account)
    assert stream.cursor == "c1" and stream.failures == 1 and "Trop de requêtes" in stream.last_error
    assert stream.next_at >= before + timedelta(seconds=900)
    # The next good read clears the failure.
    network.script = [InboundPage(items=(), cursor="c1")]
    services.read_account_stream(account, "notifications")
    stream.refresh_from_db()
    assert stream.failures == 0 and stream.last_error == ""


def test_failures_back_off_but_not_forever(account, network):
    for _attempt in range(12):
        network.script = [TransientError("500", status=500)]
        services.read_account_stream(account, "notifications")
    stream = stream_of(account)
    assert stream.failures == 12
    assert stream.next_at <= timezone.now() + services.MOST_BACKOFF + timedelta(seconds=5)


def test_an_expired_token_marks_the_account_and_warns_once(account, network, mailoutbox):
    network.script = [AuthError("Jeton expiré", status=401)]
    services.read_account_stream(account, "notifications")
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.BROKEN
    assert stream_of(account).last_error == "Jeton expiré"
    warned = len(mailoutbox)
    assert warned >= 1
    network.script = [AuthError("Jeton expiré", status=401)]
    services.read_account_stream(account, "notifications")
    assert len(mailoutbox) == warned


def warned(world) -> list[str]:
    told = Notification.objects.filter(user=world.alice, reason="inbox_read_failed")
    return list(told.values_list("summary", flat=True))


def test_a_missing_permission_stops_the_reading_not_the_publishing(world, account, network, mailoutbox):
    network.script = [PermissionMissing("(#200) Requires pages_messaging permission", status=403)]
    before = timezone.now()
    services.read_account_stream(account, "notifications")
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.ACTIVE  # it goes on publishing
    stream = stream_of(account)
    assert stream.needs_permission and stream.failures == 1
    assert stream.next_at >= before + services.MOST_BACKOFF - timedelta(seconds=5)
    # Its managers hear it at once, in the app, and once only.
    [summary] = warned(world)
    assert "pages_messaging" in summary and "@section" in summary
    [mail] = mailoutbox  # and by e-mail, in their language
    assert mail.to == [world.alice.email] and "@section" in mail.subject
    assert "pages_messaging" in mail.body and "Le compte publie toujours" in mail.body
    network.script = [PermissionMissing("(#200) Requires pages_messaging permission", status=403)]
    services.read_account_stream(account, "notifications")
    assert len(warned(world)) == 1 and len(mailoutbox) == 1
    # Connected again with the permission: the next reading works and clears it.
    network.script = [InboundPage(items=(said(1),), cursor="c1")]
    assert services.read_account_stream(account, "notifications") == 1
    stream.refresh_from_db()
    assert (stream.needs_permission, stream.failures, stream.last_error) == (False, 0, "")


def test_a_network_down_is_told_after_a_run_of_failures_once_per_run(world, account, network, settings, mailoutbox):
    settings.INBOX_READ_ALERT_FAILURES = 3
    for expected in (0, 0, 1, 1, 1):
        network.script = [TransientError("Erreur 503", status=503)]
        services.read_account_stream(account, "notifications")
        assert len(warned(world)) == expected == len(mailoutbox)
    assert "Terrain continue d’essayer" in mailoutbox[0].body
    assert stream_of(account).failures == 5
    network.script = [InboundPage(items=(), cursor="")]
    services.read_account_stream(account, "notifications")
    for _attempt in range(3):  # a new run of failures, told again
        network.script = [TransientError("Erreur 503", status=503)]
        services.read_account_stream(account, "notifications")
    assert len(warned(world)) == 2
    assert "Erreur 503" in warned(world)[0]


def test_an_error_that_retrying_cannot_cure_is_told_at_once(world, account, network):
    network.script = [PermanentError("Réponse illisible", status=400)]
    services.read_account_stream(account, "notifications")
    assert len(warned(world)) == 1
    assert not stream_of(account).needs_permission


def test_a_lasting_error_after_a_few_timeouts_is_told_once(world, account, network):
    for error in [TransientError("503"), TransientError("503"), PermissionMissing("permission"), TransientError("503")]:
        network.script = [error]
        services.read_account_stream(account, "notifications")
    network.script = [PermissionMissing("permission")] * 2
    services.read_account_stream(account, "notifications")
    services.read_account_stream(account, "notifications")
    assert warned(world) == [warned(world)[0]] and "permission" in warned(world)[0]


def test_a_network_that_always_says_more_cannot_loop(account, network):
    # "more" forever, with a cursor that never moves, then with one that always moves.
    network.script = [lambda cursor: InboundPage(items=(), cursor=cursor, more=True)] * 50
    services.read_account_stream(account, "notifications")
    assert len(network.calls) == 1
    network.calls.clear()
    network.script = [lambda cursor: InboundPage(items=(), cursor=cursor + "x", more=True)] * 50
    services.read_account_stream(account, "notifications")
    assert len(network.calls) == services.PAGES_PER_RUN


def test_hostile_content_is_cleaned_before_it_is_stored(account, network):
    hostile = "Vous êtes des \u202enuls\u202c\u200b <script>alert(1)</script>" + "x" * 20_000
    item = InboundItem(
        remote_id="n1",
        kind="comment",
        text=hostile,
        created_at=T0,
        author_name="\u202eEve\x00",
        url="javascript:alert(1)",
        author_url="https://exemple.fr/@eve",
    )
    network.script = [InboundPage(items=(item,), cursor="c1")]
    services.read_account_stream(account, "notifications")
    stored = Item.objects.get()
    assert "\u202e" not in stored.text and "\u200b" not in stored.text
    assert stored.text.startswith("Vous êtes des nuls <script>")  # kept as text: templates escape it
    assert stored.truncated and len(stored.text) == 10_000
    assert stored.author_name == "Eve" and stored.url == "" and stored.author_url == "https://exemple.fr/@eve"


def test_due_streams_are_claimed_once(account, network):
    stream = services.stream_for(services.account_source(account), "notifications")
    assert services.claim_stream(stream)
    assert not services.claim_stream(stream)  # a second clock finds it taken


def test_inbox_due_enqueues_each_due_stream_once(account, network, monkeypatch):
    from terrain.inbox import tasks

    queued = []
    monkeypatch.setattr(tasks, "read_account_stream_task", SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    assert tasks.inbox_due.call() == 1
    assert queued == [(account.pk, "notifications")]
    assert tasks.inbox_due.call() == 0  # leased
    ConnectedAccount.objects.filter(pk=account.pk).update(status=ConnectedAccount.Status.BROKEN)
    Stream.objects.update(next_at=timezone.now() - timedelta(seconds=1))
    assert tasks.inbox_due.call() == 0  # a broken account is not read


def test_the_clock_costs_the_same_statements_for_one_account_or_thirty(
    world, account, network, monkeypatch, django_assert_max_num_queries
):
    """Streams are made in one statement and the due ones read in one: one claim per stream due."""
    from terrain.inbox import tasks

    monkeypatch.setattr(tasks, "read_account_stream_task", SimpleNamespace(enqueue=lambda *args: None))
    monkeypatch.setattr(tasks.watching, "due_watch_streams", lambda now: [])
    ConnectedAccount.objects.bulk_create(
        ConnectedAccount(structure=world.section, network="scripted", handle=f"@s{n}", remote_id=f"r{n}", secrets={})
        for n in range(29)
    )
    with django_assert_max_num_queries(4 + 30):  # accounts, streams, new streams, due, 30 claims
        assert tasks.inbox_due.call() == 30
    assert Stream.objects.filter(name="notifications").count() == 30
    with django_assert_max_num_queries(3):  # accounts, streams, due (none: all leased)
        assert tasks.inbox_due.call() == 0


def test_each_item_is_triaged_and_the_thread_takes_its_most_urgent_tone(account, network):
    network.script = [
        InboundPage(
            items=(
                said(1, parent="ours-1", text="Bravo les camarades, merci !"),
                said(2, parent="ours-1", text="Vous êtes des nuls et des vendus"),
                said(3, parent="ours-1", text="C'est quand la prochaine AG ?"),
            ),
            cursor="c3",
        )
    ]
    services.read_account_stream(account, "notifications")
    tones = dict(Item.objects.values_list("remote_id", "tone"))
    assert tones == {"n1": "positive", "n2": "hostile", "n3": "question"}
    hostile = Item.objects.get(remote_id="n2")
    assert "nuls" in hostile.tone_reason
    thread = Conversation.objects.get()
    assert thread.tone == "question" and thread.priority == 0


def test_a_spike_heard_by_a_reading_opens_the_crisis_without_waiting_for_the_clock(
    account, network, django_capture_on_commit_callbacks
):
    from terrain.inbox import tasks
    from terrain.inbox.models import Crisis

    now = timezone.now()
    angry = tuple(
        InboundItem(
            remote_id=f"h{n}",
            kind="reply",
            text="Bande de vendus, honte à vous",
            created_at=now - timedelta(minutes=30 - n),
            author_handle=f"@colere{n}@exemple.fr",
            parent="ours-1",
            parent_is_ours=True,
        )
        for n in range(14)
    )
    network.script = [InboundPage(items=angry[:1], cursor="c1")]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.read_account_stream_task.call(account.pk, "notifications") == 1
    assert not Crisis.objects.exists()  # one angry reply is no crisis
    network.script = [InboundPage(items=angry[1:], cursor="c2")]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.read_account_stream_task.call(account.pk, "notifications") == 13
    assert not Crisis.objects.exists()  # the check ran 30 seconds ago: the clock will catch it
    from django.core.cache import cache

    cache.delete(f"inbox-crisis-soon:{account.structure_id}")
    network.script = [InboundPage(items=(), cursor="c2")]
    assert tasks.read_account_stream_task.call(account.pk, "notifications") == 0
    assert not Crisis.objects.exists()  # nothing new heard: no check
    network.script = [InboundPage(items=(said(99, parent="ours-1"),), cursor="c3")]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.read_account_stream_task.call(account.pk, "notifications") == 1
    crisis = Crisis.objects.get()
    assert crisis.structure_id == account.structure_id and len(crisis.item_ids) == 14


def test_items_heard_after_a_check_are_checked_at_the_end_of_the_window(monkeypatch):
    """With a task backend that can defer (the database's, Redis's), nothing waits for the clock."""
    from terrain.inbox import tasks

    enqueued = []

    class Deferring:
        def get_backend(self):
            return SimpleNamespace(supports_defer=True)

        def enqueue(self, structure_id):
            enqueued.append((structure_id, None))

        def using(self, *, run_after):
            return SimpleNamespace(enqueue=lambda structure_id: enqueued.append((structure_id, run_after)))

    monkeypatch.setattr(tasks, "crisis_check_structure_task", Deferring())
    before = timezone.now()
    assert tasks.crisis_check_soon(7)  # at once
    assert tasks.crisis_check_soon(7)  # new items meanwhile: once more at the end of the window
    assert not tasks.crisis_check_soon(7)  # that later check covers these too
    assert tasks.crisis_check_soon(8)  # another structure: its own
    assert [structure_id for structure_id, _at in enqueued] == [7, 7, 8]
    assert enqueued[0][1] is None and enqueued[2][1] is None
    wait = enqueued[1][1] - before
    assert timedelta(seconds=tasks.CRISIS_RECHECK_SECONDS) <= wait < timedelta(seconds=tasks.CRISIS_RECHECK_SECONDS + 5)
