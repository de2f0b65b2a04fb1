"""The publication engine against a local network: success, retries, uncertainty, crashes, races, refusals."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

import base64
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, MessageEvent, MessageImage, Publication
from terrain.atelier.services.engine import claim, publication_run
from terrain.atelier.services.publishing import message_schedule, publications_dispatch_due
from terrain.atelier.tasks import publishers_stop
from terrain.atelier.tests.publishing_fake import make_account, make_message, pouet  # noqa: F401
from terrain.feed.models import Notification
from terrain.networks.registry import get_connector

State = Publication.State


def make_due(*publications) -> None:
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(
        next_try_at=timezone.now() - timedelta(seconds=1), claimed_until=None
    )


def run(publication) -> str:
    return publication_run(publication_id=publication.pk, worker="test")


def scheduled(world, *, at=None, accounts=None, **fields):
    """A message scheduled in the future (so nothing runs before the test says so) and its publication."""
    account = accounts[0] if accounts else make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=accounts or [account], **fields)
    message_schedule(message=message, at=at or timezone.now() + timedelta(hours=1), by=world.alice)
    return message, message.publications.get(account=accounts[0] if accounts else account)


@pytest.mark.django_db
def test_publish_now_sends_once_and_records_the_remote_post(world, pouet, settings, django_capture_on_commit_callbacks):
    settings.ATELIER_LINK_REWRITER = ""  # the tracked link is the subject of its own test
    account = make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=[account], link="https://exemple.org/greve")
    with django_capture_on_commit_callbacks(execute=True):
        message_schedule(message=message, at=timezone.now(), by=world.alice)

    publication = message.publications.get()
    assert publication.state == State.PUBLISHED
    [post] = pouet.posts_with(publication.marker)
    assert post["text"] == "Grève jeudi 10 h devant l'hôpital"
    assert post["link"] == "https://exemple.org/greve"
    assert (publication.remote_id, publication.remote_url) == (post["id"], post["url"])
    assert publication.published_at is not None
    assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["published"]
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
    assert message.published_at == publication.published_at
    assert message.events.filter(kind=MessageEvent.Kind.PUBLISHED).count() == 1
    notification = Notification.objects.get(user=world.alice, reason="message_published")
    assert notification.target_url == f"/atelier/messages/{message.code}/"
    assert "Publié sur" in notification.summary
    # Running it again (a duplicate task) does nothing.
    assert run(publication) == "taken"
    assert len(pouet.statuses) == 1


@pytest.mark.django_db
def test_variant_images_alt_text_and_link_rewriter(world, pouet, settings):
    settings.ATELIER_LINK_REWRITER = "terrain.atelier.tests.test_publishing.tracked_link"
    message, publication = scheduled(world, link="https://exemple.org/a")
    message.variants.create(network="pouet", body="Version courte pour Pouet")
    stored = default_storage.save("atelier/photo.png", ContentFile(png_bytes()))
    MessageImage.objects.create(
        message=message, image=stored, width=4, height=3, alt_text="Des militant·es devant l'hôpital"
    )
    make_due(publication)

    assert run(publication) == "published"

    [post] = pouet.statuses
    assert post["text"] == "Version courte pour Pouet"
    assert post["link"] == f"https://terrain.test/l/{publication.code}"
    assert [m["alt"] for m in post["media"]] == ["Des militant·es devant l'hôpital"]
    assert base64.b64decode(post["media"][0]["data"]) == png_bytes()


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


def tracked_link(*, publication, url: str) -> str:
    return f"https://terrain.test/l/{publication.code}"


@pytest.mark.django_db
def test_429_waits_at_least_retry_after_then_publishes(world, pouet):
    _message, publication = scheduled(world)
    make_due(publication)
    pouet.fail_next(429, headers={"Retry-After": "900"}, path_contains="/api/statuses")

    before = timezone.now()
    assert run(publication) == "retry"

    publication.refresh_from_db()
    assert publication.state == State.PENDING
    assert publication.next_try_at >= before + timedelta(seconds=900)
    assert "too many requests" in publication.last_error
    assert run(publication) == "taken"  # not due yet
    make_due(publication)
    assert run(publication) == "published"
    assert len(pouet.posts_with(publication.marker)) == 1
    assert list(publication.attempt_log.values_list("outcome", "status_code")) == [
        ("transient", 429),
        ("published", None),
    ]


@pytest.mark.django_db
def test_server_errors_back_off_exponentially_then_publish(world, pouet):
    message, publication = scheduled(world)
    pouet.fail_next(503, times=2, path_contains="/api/statuses")
    waits = []
    for _ in range(2):
        make_due(publication)
        start = timezone.now()
        assert run(publication) == "retry"
        publication.refresh_from_db()
        waits.append((publication.next_try_at - start).total_seconds())
    make_due(publication)
    assert run(publication) == "published"

    assert 24 <= waits[0] <= 37  # 30 s ± 20 %
    assert 96 <= waits[1] <= 145  # 2 min ± 20 %
    assert len(pouet.posts_with(publication.marker)) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED


@pytest.mark.django_db
def test_gives_up_after_the_last_attempt_and_tells_the_author(world, pouet, settings):
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 3
    message, publication = scheduled(world)
    pouet.fail_next(500, times=3, path_contains="/api/statuses")
    outcomes = []
    for _ in range(3):
        make_due(publication)
        outcomes.append(run(publication))

    assert outcomes == ["retry", "retry", "failed"]
    publication.refresh_from_db()
    assert publication.state == State.FAILED
    assert "3" in publication.last_error
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert Notification.objects.filter(user=world.alice, reason="publication_failed").count() == 1


@pytest.mark.django_db
def test_answer_lost_after_sending_is_checked_on_the_network_not_sent_again(world, pouet):
    _message, publication = scheduled(world)
    make_due(publication)
    pouet.drop_next(path_contains="/api/statuses")  # the post is created, the answer never comes

    assert run(publication) == "checking"
    publication.refresh_from_db()
    assert publication.state == State.CHECKING
    assert len(pouet.statuses) == 1

    make_due(publication)
    assert run(publication) == "found"

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.remote_id == pouet.statuses[0]["id"]
    assert len(pouet.posts_with(publication.marker)) == 1
    assert len(pouet.calls("POST", "/api/statuses")) == 1
    assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["uncertain", "found"]


@pytest.mark.django_db
def test_a_real_timeout_is_uncertain_too(world, pouet):
    _message, publication = scheduled(world)
    make_due(publication)
    pouet.slow_next(1.5, path_contains="/api/statuses")  # longer than the 1 s client timeout

    assert run(publication) == "checking"
    import time

    time.sleep(0.8)  # the slow server finishes creating the post
    make_due(publication)
    assert run(publication) == "found"
    assert len(pouet.posts_with(publication.marker)) == 1


@pytest.mark.django_db
def test_checking_publishes_when_the_post_is_not_on_the_network(world, pouet):
    _message, publication = scheduled(world)
    make_due(publication)
    pouet.drop_next(path_contains="/api/statuses")
    assert run(publication) == "checking"
    pouet.statuses.clear()  # ...and the network had not kept it after all

    make_due(publication)
    assert run(publication) == "published"
    assert len(pouet.posts_with(publication.marker)) == 1


@pytest.mark.django_db
def test_worker_killed_after_the_network_got_the_post_is_recovered_without_duplicate(world, pouet):
    _message, publication = scheduled(world)
    # A worker claimed it, sent the post, and died before recording anything.
    Publication.objects.filter(pk=publication.pk).update(
        state=State.PUBLISHING,
        claim_token="dead-worker",
        claimed_until=timezone.now() - timedelta(seconds=1),
        attempts=1,
    )
    pouet.statuses.append({"id": "77", "url": f"{pouet.base_url}/@syndicat/77", "marker": publication.marker})

    with_tasks = publications_dispatch_due()  # the clock's pass finds it

    assert with_tasks == 1
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.remote_id == "77"
    assert pouet.calls("POST", "/api/statuses") == []
    assert len(pouet.posts_with(publication.marker)) == 1


@pytest.mark.django_db
def test_worker_killed_before_the_network_got_it_is_published_once(world, pouet):
    _message, publication = scheduled(world)
    Publication.objects.filter(pk=publication.pk).update(
        state=State.PUBLISHING, claim_token="dead-worker", claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert publications_dispatch_due() == 1
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert len(pouet.posts_with(publication.marker)) == 1


@pytest.mark.django_db
def test_a_live_claim_is_not_taken_over(world, pouet):
    _message, publication = scheduled(world)
    Publication.objects.filter(pk=publication.pk).update(
        state=State.PUBLISHING, claim_token="alive", claimed_until=timezone.now() + timedelta(minutes=1)
    )
    assert publications_dispatch_due() == 0
    assert run(publication) == "taken"
    assert pouet.statuses == []


@pytest.mark.django_db
def test_two_workers_racing_on_one_publication_publish_it_once(world, pouet, monkeypatch):
    _message, publication = scheduled(world)
    make_due(publication)
    connector = get_connector("pouet")
    original = connector.publish
    second_worker = []

    def publish_while_another_worker_arrives(account, content):
        # Mid-call, a second worker (a duplicate task, another process) tries the same row.
        second_worker.append(publication_run(publication_id=publication.pk, worker="worker-2"))
        return original(account, content)

    monkeypatch.setattr(connector, "publish", publish_while_another_worker_arrives)

    assert publication_run(publication_id=publication.pk, worker="worker-1") == "published"
    assert second_worker == ["taken"]
    assert len(pouet.statuses) == 1
    # The claim itself: of two conditional UPDATEs on the same due row, one wins.
    _other_message, other = scheduled(world, accounts=[publication.account])
    make_due(other)
    now = timezone.now()
    assert claim(publication_id=other.pk, now=now) is not None
    assert claim(publication_id=other.pk, now=now) is None


@pytest.mark.django_db
def test_stale_worker_cannot_overwrite_the_worker_that_took_over(world, pouet):
    from terrain.atelier.services.engine import Sent, _finish_published_many
    from terrain.networks.base import RemotePost

    _message, publication = scheduled(world)
    make_due(publication)
    token, _uncertain = claim(publication_id=publication.pk, now=timezone.now())
    Publication.objects.filter(pk=publication.pk).update(claim_token="newer-worker")

    sent = Sent(publication, RemotePost("999", "https://x"), "published", timezone.now(), timezone.now())
    _finish_published_many([sent], token=token, worker="old")

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHING
    assert publication.remote_id == ""
    assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["stale"]


@pytest.mark.django_db
def test_refused_content_fails_at_once_with_the_reason_for_the_author(world, pouet):
    message, publication = scheduled(world, body="x" * 150)
    make_due(publication)

    assert run(publication) == "failed"

    publication.refresh_from_db()
    assert publication.state == State.FAILED
    assert "too long" in publication.last_error
    assert len(pouet.calls("POST", "/api/statuses")) == 1  # no retry
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    notification = Notification.objects.get(user=world.alice, reason="publication_failed")
    assert "Non publié sur" in notification.summary
    assert "too long" in notification.summary
    assert message.events.get(kind=MessageEvent.Kind.FAILED).text.startswith("Non publié sur")


@pytest.mark.django_db
def test_expired_token_breaks_the_account_and_warns_the_managers_once(world, pouet, django_capture_on_commit_callbacks):
    account = make_account(world.section, token="revoked", by=world.alice)
    _first, p1 = scheduled(world, accounts=[account])
    _second, p2 = scheduled(world, accounts=[account], body="Deuxième message")
    make_due(p1, p2)

    with django_capture_on_commit_callbacks(execute=True):
        assert run(p1) == "failed"
        assert run(p2) == "failed"

    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.BROKEN
    assert "invalid" in account.status_detail
    assert Notification.objects.filter(user=world.alice, reason="account_broken").count() == 1
    [email] = [m for m in mail.outbox if "Reconnect" in m.subject or "Reconnecter" in m.subject]
    assert email.to == ["alice@example.org"]
    assert "reconnecté" in email.body
    assert len(pouet.calls("POST", "/api/statuses")) == 1  # the second one did not even try
    p2.refresh_from_db()
    assert "reconnecté" in p2.last_error


@pytest.mark.django_db
def test_rate_limit_of_the_account_is_respected(world, pouet, monkeypatch):
    from terrain.networks.base import RateLimit

    monkeypatch.setattr(get_connector("pouet"), "rate_limit", RateLimit(calls=2, seconds=3600))
    account = make_account(world.section, by=world.alice)
    publications = [scheduled(world, accounts=[account], body=f"Message {i}")[1] for i in range(3)]
    make_due(*publications)

    outcomes = [run(p) for p in publications]

    assert sorted(outcomes) == ["published", "published", "rate-limited"]
    assert len(pouet.statuses) == 2
    waiting = Publication.objects.get(state=State.PENDING)
    account.refresh_from_db()
    assert waiting.next_try_at == account.window_started_at + timedelta(seconds=3600)
    assert waiting.attempts == 0  # nothing was sent: not an attempt
    assert run(waiting) == "taken"


@pytest.mark.django_db
def test_a_message_to_two_accounts_settles_when_both_are_done(world, pouet):
    a = make_account(world.section, by=world.alice, handle="@a")
    b = make_account(world.section, by=world.alice, handle="@b")
    message = make_message(world.section, author=world.alice, accounts=[a, b])
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=world.alice)
    pa, pb = message.publications.get(account=a), message.publications.get(account=b)
    make_due(pa, pb)
    pouet.fail_next(503, path_contains="/api/statuses")

    assert run(pa) == "retry"
    assert run(pb) == "published"
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED  # one still to go
    make_due(pa)
    assert run(pa) == "published"
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
    assert Notification.objects.filter(reason="message_published").count() == 1


PUBLISHED_HOOK_CALLS: list[str] = []


def remember_published(*, messages) -> None:
    PUBLISHED_HOOK_CALLS.extend(message.code for message in messages)


@pytest.mark.django_db
def test_hooks_are_called_once_on_commit(world, pouet, settings, django_capture_on_commit_callbacks):
    settings.ATELIER_ON_PUBLISHED = [
        "terrain.atelier.tests.test_publishing.broken_hook",
        "terrain.atelier.tests.test_publishing.remember_published",
    ]
    PUBLISHED_HOOK_CALLS.clear()
    message, publication = scheduled(world)
    make_due(publication)
    with django_capture_on_commit_callbacks(execute=True):
        run(publication)
    assert [message.code] == PUBLISHED_HOOK_CALLS  # a failing hook does not stop the next one


def broken_hook(*, messages) -> None:
    raise RuntimeError("relays are down")


@pytest.mark.django_db
def test_rescheduling_a_recurring_series_never_republishes_a_published_occurrence(world, pouet):
    from django.core.exceptions import ValidationError

    from terrain.atelier.models import Recurrence

    account = make_account(world.section, by=world.alice)
    today = timezone.localdate()
    series = Recurrence.objects.create(
        structure=world.section,
        frequency=Recurrence.Frequency.WEEKLY,
        starts_on=today,
        local_time="09:00",
        ends_on=today + timedelta(weeks=3),
        created_by=world.alice,
    )
    occurrences = [
        make_message(
            world.section,
            author=world.alice,
            accounts=[account],
            body="Permanence du mardi",
            recurrence=series,
            occurrence_on=today + timedelta(weeks=i),
        )
        for i in range(3)
    ]
    for i, message in enumerate(occurrences):
        message_schedule(message=message, at=timezone.now() + timedelta(weeks=i, hours=1), by=world.alice)
    first = occurrences[0].publications.get()
    make_due(first)
    assert run(first) == "published"

    # The series is edited: new text and a new time for every occurrence.
    for i, message in enumerate(occurrences):
        Message.objects.filter(pk=message.pk).update(body="Permanence du mardi, salle 2")
        try:
            message_schedule(message=message, at=timezone.now() - timedelta(minutes=1, weeks=-i), by=world.alice)
        except ValidationError:
            assert i == 0  # only the published one refuses
    Publication.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    publications_dispatch_due()

    first.refresh_from_db()
    assert first.state == State.PUBLISHED
    assert len(pouet.posts_with(first.marker)) == 1
    assert pouet.posts_with(first.marker)[0]["text"] == "Permanence du mardi"
    assert len(pouet.statuses) == 3  # one per occurrence, never two


@pytest.mark.django_db
def test_dispatch_hands_each_due_row_to_the_queue_once(world, pouet, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    settings.ATELIER_DISPATCH_BATCH = 2
    account = make_account(world.section, by=world.alice)
    publications = [scheduled(world, accounts=[account], body=f"M{i}")[1] for i in range(3)]
    _later, _ = scheduled(world, accounts=[account], body="later")
    make_due(*publications)

    from django_tasks import default_task_backend

    default_task_backend.clear()
    assert publications_dispatch_due() == 3
    assert publications_dispatch_due() == 0  # already in the queue
    batches = [r.args or list(r.kwargs.values()) for r in default_task_backend.results]
    assert sorted(len(b[0]) for b in batches) == [1, 2]
    # A lost task: once the queue mark passes, the row is handed again.
    assert publications_dispatch_due(now=timezone.now() + timedelta(minutes=6)) == 3


@pytest.mark.django_db
def test_disconnected_account_fails_its_waiting_publications_with_a_reason(world, pouet):
    from terrain.atelier.services.accounts import account_disconnect

    _message, publication = scheduled(world)
    account_disconnect(account=publication.account, by=world.alice)
    make_due(publication)
    assert run(publication) == "failed"
    publication.refresh_from_db()
    assert "reconnecté" in publication.last_error
    assert pouet.statuses == []


@pytest.mark.django_db(transaction=True)
def test_a_batch_on_several_threads_publishes_each_once(world, pouet, settings):
    from django.db import connection

    from terrain.atelier.tasks import publications_run_batch

    if connection.vendor != "postgresql":
        # The in-memory SQLite test database locks whole tables between threads; on SQLite one thread is the rule.
        pytest.skip("threads need PostgreSQL (make test-postgres runs this)")
    settings.ATELIER_PUBLISH_THREADS = 4
    accounts = [make_account(world.section, by=world.alice, handle=f"@s{i}") for i in range(3)]
    publications = [scheduled(world, accounts=[accounts[i % 3]], body=f"Message {i}")[1] for i in range(9)]
    make_due(*publications)
    ids = [p.pk for p in publications]

    try:
        outcomes = publications_run_batch.call(publication_ids=ids + ids[:3])  # a duplicate in the batch, too
    finally:
        publishers_stop()

    assert sorted(outcomes) == ["published"] * 9 + ["taken"] * 3, outcomes
    assert len(pouet.statuses) == 9
    assert Publication.objects.filter(state=State.PUBLISHED).count() == 9
    assert Message.objects.filter(status=Message.Status.PUBLISHED).count() == 9


def _other_backends() -> set[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_publisher_threads_keep_their_connections_from_one_batch_to_the_next(world, pouet, settings):
    from django.db import connection

    from terrain.atelier.tasks import publications_run_batch

    if connection.vendor != "postgresql":
        pytest.skip("threads need PostgreSQL (make test-postgres runs this)")
    settings.ATELIER_PUBLISH_THREADS = 2
    account = make_account(world.section, by=world.alice)
    publications = [scheduled(world, accounts=[account], body=f"Message {i}")[1] for i in range(8)]
    make_due(*publications)
    ids = [p.pk for p in publications]
    before = _other_backends()
    try:
        assert publications_run_batch.call(publication_ids=ids[:4]) == ["published"] * 4
        opened = _other_backends() - before
        assert publications_run_batch.call(publication_ids=ids[4:]) == ["published"] * 4
        assert _other_backends() - before == opened  # the same connections, no new ones
        assert 1 <= len(opened) <= 2
    finally:
        publishers_stop()
    for _wait in range(50):  # a backend leaves pg_stat_activity a moment after its client hangs up
        if not (_other_backends() & opened):
            break
        time.sleep(0.1)
    assert not (_other_backends() & opened)  # stopping the publishers closes them
    assert len(pouet.statuses) == 8


@pytest.mark.django_db
def test_rescheduling_a_failed_message_checks_first_when_an_answer_was_lost(world, pouet, settings):
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 1
    message, publication = scheduled(world)
    make_due(publication)
    pouet.drop_next(path_contains="/api/statuses")  # it got out, the answer was lost, and we gave up
    assert run(publication) == "failed"
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    settings.ATELIER_PUBLISH_MAX_ATTEMPTS = 8

    message_schedule(message=message, at=timezone.now() - timedelta(seconds=1), by=world.alice)

    publication.refresh_from_db()
    assert publication.state == State.CHECKING
    assert run(publication) == "found"
    assert len(pouet.posts_with(publication.marker)) == 1


@pytest.mark.django_db
def test_with_the_site_settings_the_link_is_tracked_and_the_relay_hook_runs_cleanly(
    world, pouet, caplog, django_capture_on_commit_callbacks
):
    from django.conf import settings

    assert "terrain.relays.services.relays_announce_many" in settings.ATELIER_ON_PUBLISHED
    message, publication = scheduled(world, link="https://exemple.org/greve")
    make_due(publication)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(publication) == "published"

    [post] = pouet.statuses
    assert post["link"].startswith(settings_site_url())
    assert post["link"] != "https://exemple.org/greve"
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
    assert not [r for r in caplog.records if "Hook" in r.getMessage()]  # no hook failed


def settings_site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL


# --- Batches: claimed together, recorded together -----------------------------------------
def run_batch(*publications) -> list[str]:
    from terrain.atelier.services.engine import publications_run

    return publications_run(publication_ids=[p.pk for p in publications], worker="test")


@pytest.mark.django_db
def test_a_batch_publishes_each_once_and_settles_every_message(
    world, pouet, settings, django_capture_on_commit_callbacks
):
    settings.ATELIER_ON_PUBLISHED = ["terrain.atelier.tests.test_publishing.remember_published"]
    PUBLISHED_HOOK_CALLS.clear()
    accounts = [make_account(world.section, by=world.alice, handle=f"@s{i}") for i in range(2)]
    pairs = [scheduled(world, accounts=[accounts[i % 2]], body=f"Message {i}") for i in range(5)]
    publications = [publication for _message, publication in pairs]
    make_due(*publications)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcomes = run_batch(*publications, publications[0])  # the same id twice runs once

    assert outcomes == ["published"] * 5 + ["taken"]
    assert len(callbacks) == 1  # one hook call for the whole batch...
    assert sorted(PUBLISHED_HOOK_CALLS) == sorted(m.code for m, _p in pairs)  # ...with every message
    for message, publication in pairs:
        publication.refresh_from_db()
        message.refresh_from_db()
        [post] = pouet.posts_with(publication.marker)
        assert (publication.state, publication.remote_id) == (State.PUBLISHED, post["id"])
        assert publication.attempts == 1
        assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["published"]
        assert (message.status, message.published_at) == (Message.Status.PUBLISHED, publication.published_at)
        assert message.events.filter(kind=MessageEvent.Kind.PUBLISHED).count() == 1
    assert Notification.objects.filter(user=world.alice, reason="message_published").count() == 5
    assert len(pouet.statuses) == 5


@pytest.mark.django_db
def test_a_batch_mixes_new_posts_posts_to_check_and_posts_not_due(world, pouet):
    _m1, new = scheduled(world, body="Nouveau")
    _m2, lost = scheduled(world, body="Réponse perdue")
    _m3, later = scheduled(world, body="Plus tard")
    make_due(new, lost)
    # An earlier attempt got the post out but its answer was lost: check first, adopt it.
    Publication.objects.filter(pk=lost.pk).update(state=State.CHECKING, attempts=1)
    pouet.statuses.append({"id": "41", "url": f"{pouet.base_url}/@syndicat/41", "marker": lost.marker})

    assert run_batch(new, lost, later) == ["published", "found", "taken"]

    lost.refresh_from_db()
    later.refresh_from_db()
    assert (lost.state, lost.remote_id) == (State.PUBLISHED, "41")
    assert later.state == State.PENDING
    assert len(pouet.posts_with(lost.marker)) == 1
    assert len(pouet.posts_with(new.marker)) == 1


@pytest.mark.django_db
def test_a_batch_whose_worker_dies_before_recording_is_adopted_not_sent_again(world, pouet, monkeypatch):
    from terrain.atelier.services import engine

    pairs = [scheduled(world, body=f"Message {i}") for i in range(3)]
    publications = [publication for _message, publication in pairs]
    make_due(*publications)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("SIGKILL")  # the posts are out; nothing is recorded

    monkeypatch.setattr(engine, "_finish_published_many", killed)
    with pytest.raises(KeyboardInterrupt):
        run_batch(*publications)
    monkeypatch.undo()
    assert len(pouet.statuses) == 3
    assert set(Publication.objects.values_list("state", flat=True)) == {State.PUBLISHING}

    # The lease passes; the clock hands them again and the next worker looks before sending.
    Publication.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert publications_dispatch_due() == 3

    assert set(Publication.objects.values_list("state", flat=True)) == {State.PUBLISHED}
    assert len(pouet.statuses) == 3  # nothing sent twice
    for publication in publications:
        assert list(publication.attempt_log.values_list("outcome", flat=True)) == ["found"]


@pytest.mark.django_db
def test_a_batch_counts_its_posts_in_the_accounts_windows_without_going_over(world, pouet, monkeypatch):
    from terrain.networks.base import RateLimit

    monkeypatch.setattr(get_connector("pouet"), "rate_limit", RateLimit(calls=2, seconds=3600))
    roomy, full, fresh, twice = (make_account(world.section, by=world.alice, handle=f"@{n}") for n in range(4))
    window = timezone.now() - timedelta(minutes=5)
    ConnectedAccount.objects.filter(pk=roomy.pk).update(window_started_at=window, window_count=1)
    ConnectedAccount.objects.filter(pk=full.pk).update(window_started_at=window, window_count=2)
    ConnectedAccount.objects.filter(pk=twice.pk).update(window_started_at=window, window_count=0)
    on = {
        "roomy": scheduled(world, accounts=[roomy], body="A")[1],
        "full": scheduled(world, accounts=[full], body="B")[1],
        "fresh": scheduled(world, accounts=[fresh], body="C")[1],  # no window yet: it opens one
        "twice-1": scheduled(world, accounts=[twice], body="D")[1],
        "twice-2": scheduled(world, accounts=[twice], body="E")[1],
    }
    make_due(*on.values())
    from terrain.atelier.services import engine

    one_by_one = []
    original = engine.rate_take
    monkeypatch.setattr(
        engine,
        "rate_take",
        lambda *, account_id, **kw: one_by_one.append(account_id) or original(account_id=account_id, **kw),
    )

    outcomes = dict(zip(on, run_batch(*on.values()), strict=True))

    assert outcomes == {
        "roomy": "published",
        "full": "rate-limited",
        "fresh": "published",
        "twice-1": "published",
        "twice-2": "published",
    }
    counts = dict(
        ConnectedAccount.objects.filter(pk__in=[a.pk for a in (roomy, full, fresh, twice)]).values_list(
            "handle", "window_count"
        )
    )
    assert counts == {"@0": 2, "@1": 2, "@2": 1, "@3": 2}  # each post counted once, none over the limit
    assert len(pouet.statuses) == 4
    assert roomy.pk not in one_by_one  # counted with the batch's one statement
    assert sorted(one_by_one) == sorted([full.pk, fresh.pk, twice.pk, twice.pk])
    on["full"].refresh_from_db()
    assert (on["full"].state, on["full"].attempts) == (State.PENDING, 0)


@pytest.mark.django_db
def test_a_batch_that_runs_out_of_claim_hands_the_rest_back_unsent(world, pouet, settings):
    # Past lease - (network timeout + 5 s) = 1.5 s into the claim, nothing more is sent.
    settings.ATELIER_PUBLISH_LEASE_SECONDS = 8
    settings.NETWORK_TIMEOUT_SECONDS = 1.5
    pairs = [scheduled(world, body=f"Message {i}") for i in range(3)]
    publications = [publication for _message, publication in pairs]
    make_due(*publications)
    pouet.slow_next(1.2, times=2, path_contains="/api/statuses")  # the second post starts at 1.2 s, ends at 2.4 s

    outcomes = run_batch(*publications)

    assert outcomes == ["published", "published", "released"]
    assert len(pouet.statuses) == 2
    last = publications[2]
    last.refresh_from_db()
    assert (last.state, last.attempts, last.claimed_until) == (State.PENDING, 0, None)
    assert last.next_try_at <= timezone.now()  # due again at once, for the next pass
    assert not last.attempt_log.exists()  # not an attempt: nothing was sent
