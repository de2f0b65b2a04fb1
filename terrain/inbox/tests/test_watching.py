"""Keyword watches: matching, news feeds against a local site, Mastodon search against mastodon-mock."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone, translation

from terrain.atelier.models import ConnectedAccount
from terrain.inbox import feeds, services
from terrain.inbox.models import Item, Stream, Watch
from terrain.inbox.tests.feed_server import Answer, FeedServer, rss
from terrain.inbox.watching import (
    read_watch_stream,
    watch_delete,
    watch_save,
    watch_set_active,
    watch_states,
)


@pytest.fixture(autouse=True)
def _english():
    """The sentences checked below are the English msgids (French is the site's language)."""
    with translation.override("en"):
        yield


# --- Matching.


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("Les agents du CHU NORD en grève", "CHU Nord", True),
        ("Grève illimitée", "greve", True),
        ("Appel à la #GREVE demain", "#grève", True),
        ("La grève continue", "#grève", True),
        ("Appel à la #grève demain", "grève", True),
        ("Les grèves se multiplient", "grève", False),
        ("Les chunordistes", "CHU Nord", False),
        ("CHU-Nord : la direction répond", "CHU Nord", True),
        ("Rien à voir", "Hôpital Nord", False),
        ("Section Hôpital Nord", "Section Hôpital Nord", True),
        ("Soutien au #CHUNord", "CHU Nord", True),
        ("Le cœur du problème", "coeur", True),
        ("Devant l’hôpital", "Hopital", True),
    ],
)
def test_terms_match_whole_words_without_case_or_accents(text, term, found):
    assert bool(feeds.terms_found(text, [term])) is found


def test_a_term_without_letters_matches_nothing():
    assert feeds.terms_found("### !!!", ["#", "!!"]) == []


# --- Feed parsing.


def test_feed_entries_kept_only_when_a_term_is_in_them():
    body = rss(
        ("a1", "Grève au CHU Nord", "<p>Les <b>soignants</b> débrayent.</p>"),
        ("a2", "Marché de Noël", "Des chalets sur le port."),
        ("a3", "Conseil municipal", "Le maire évoque l'hôpital nord et le <a href='x'>CHU Nord</a>."),
    )
    items, matched = feeds.feed_items(body, ["CHU Nord", "#grève"])
    assert [item.remote_id for item in items] == ["a1", "a3"]
    first = items[0]
    assert first.kind == "watch"
    assert first.text == "Grève au CHU Nord\nLes soignants débrayent."  # plain text, no tags
    assert first.url == "https://journal.example/a1"
    assert first.author_name == "La Provence"
    assert first.created_at.year == 2026
    assert matched == {"a1": "CHU Nord, #grève", "a3": "CHU Nord"}


def test_atom_entries_are_read_too():
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Le Blog</title>'
        b"<entry><id>urn:1</id><title>CHU Nord</title><link href='https://blog.example/1'/>"
        b"<updated>2026-11-30T10:00:00Z</updated><content type='html'>&lt;p&gt;Texte&lt;/p&gt;</content></entry></feed>"
    )
    [item], _matched = feeds.feed_items(body, ["chu nord"])
    assert (item.remote_id, item.url, item.text) == ("urn:1", "https://blog.example/1", "CHU Nord\nTexte")


def test_garbage_is_no_feed():
    with pytest.raises(feeds.PermanentError, match="RSS or Atom"):
        feeds.feed_items(b"<html><body>Bienvenue</body></html>", ["CHU Nord"])
    with pytest.raises(feeds.PermanentError):
        feeds.feed_items(b"\x00\xff\xfe garbage", ["CHU Nord"])


def test_malformed_xml_is_read_as_far_as_it_goes():
    body = rss(("a1", "CHU Nord", "ok"), ("a2", "CHU Nord encore", "ok"))[:-40]  # cut mid-way
    items, _matched = feeds.feed_items(body, ["CHU Nord"])
    assert [item.remote_id for item in items] == ["a1", "a2"]


def test_a_date_in_the_future_is_now():
    body = rss(("a1", "CHU Nord", "ok")).replace(b"2026", b"2099")
    [item], _matched = feeds.feed_items(body, ["CHU Nord"])
    assert item.created_at <= timezone.now()


# --- Reading a feed through a watch.


@pytest.fixture
def site():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def watch(world, site):
    return watch_save(
        structure=world.section,
        by=world.alice,
        name="Hôpital Nord",
        terms=["CHU Nord", "#grève"],
        networks=[],
        feeds=[site.url("/rss")],
    )


def _feed_stream(watch: Watch) -> Stream:
    return Stream.objects.get(source=services.watch_source(watch), name__startswith="feed:")


def test_a_feed_is_read_once_and_never_twice(watch, site):
    site.answers["/rss"] = Answer(body=rss(("a1", "Grève au CHU Nord", "x"), ("a2", "Autre chose", "y")))
    stream = _feed_stream(watch)
    assert read_watch_stream(stream) == 1
    site.answers["/rss"] = Answer(body=rss(("a3", "CHU Nord : réunion", "z"), ("a1", "Grève au CHU Nord", "x")))
    assert read_watch_stream(stream) == 1
    items = Item.objects.filter(source=services.watch_source(watch)).order_by("remote_id")
    assert [(item.remote_id, item.kind, item.matched) for item in items] == [
        ("a1", "watch", "CHU Nord, #grève"),
        ("a3", "watch", "CHU Nord"),
    ]
    assert all(item.conversation.watch_id == watch.pk for item in items)
    stream.refresh_from_db()
    assert stream.last_error == ""
    assert stream.read_at is not None
    assert json.loads(stream.cursor)["found"] == 2
    [[state]] = watch_states([watch]).values()
    assert (state.kind, state.found, state.last_error) == ("feed", 2, "")


def test_a_feed_that_did_not_change_costs_a_304(watch, site):
    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")), headers={"ETag": '"v1"'})
    stream = _feed_stream(watch)
    assert read_watch_stream(stream) == 1
    assert read_watch_stream(stream) == 0
    assert site.asked[-1][1]["if-none-match"] == '"v1"'
    stream.refresh_from_db()
    assert stream.last_error == ""
    assert json.loads(stream.cursor) == {"etag": '"v1"', "modified": "", "found": 1}


@pytest.mark.parametrize(
    ("answer", "says", "transient"),
    [
        (Answer(status=500, body=b"oops"), "error 500", True),
        (Answer(status=404), "no feed at this address", False),
        (Answer(body=b"<html>Accueil</html>"), "RSS or Atom", False),
        (Answer(body=b"<rss>" + b"x" * (feeds.MAX_FEED_BYTES + 10)), "larger than 2 MB", False),
    ],
)
def test_a_feed_that_fails_says_why_and_waits(watch, site, answer, says, transient):
    site.answers["/rss"] = answer
    stream = _feed_stream(watch)
    before = timezone.now()
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert says in stream.last_error
    assert stream.failures == 1
    wait = stream.next_at - before
    assert wait >= timedelta(hours=1) - timedelta(seconds=5) if not transient else wait < timedelta(hours=1)
    assert not Item.objects.exists()


def test_a_feed_that_does_not_answer_in_time_is_tried_again(watch, site, settings):
    settings.NETWORK_TIMEOUT_SECONDS = 0.3
    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")), delay=1.0)
    stream = _feed_stream(watch)
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert "did not answer in time" in stream.last_error
    assert stream.next_at > timezone.now()


def test_a_feed_at_a_private_address_is_refused(watch, site, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")))
    stream = _feed_stream(watch)
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert "cannot reach this address" in stream.last_error
    assert site.asked == []


def test_a_surprise_of_the_parser_is_recorded_not_raised(watch, site, monkeypatch):
    def explode(*args, **kwargs):
        raise RecursionError("deeply nested")

    monkeypatch.setattr(feeds.feedparser, "parse", explode)
    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")))
    stream = _feed_stream(watch)
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert "could not read this feed" in stream.last_error and stream.failures == 1


def test_a_failure_then_a_success_clears_the_error(watch, site):
    stream = _feed_stream(watch)
    site.answers["/rss"] = Answer(status=503)
    read_watch_stream(stream)
    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")))
    assert read_watch_stream(stream) == 1
    stream.refresh_from_db()
    assert (stream.failures, stream.last_error) == (0, "")


# --- Streams follow the watch.


def _names(watch: Watch) -> set[str]:
    return set(Stream.objects.filter(source=services.watch_source(watch)).values_list("name", flat=True))


def test_streams_follow_the_watch(world, site):
    watch = watch_save(
        structure=world.section,
        by=world.alice,
        name="Veille",
        terms=["CHU Nord", "#grève"],
        networks=["mastodon", "not-a-network"],
        feeds=["https://journal.example/rss"],
    )
    assert watch.networks == ["mastodon"]
    assert _names(watch) == {"search:mastodon:CHU Nord", "search:mastodon:#grève", "feed:https://journal.example/rss"}
    assert all(stream.next_at <= timezone.now() for stream in Stream.objects.all())
    kept = Stream.objects.get(name="search:mastodon:CHU Nord")
    watch_save(
        structure=world.section,
        by=world.alice,
        watch=watch,
        name="Veille",
        terms=["CHU Nord"],
        networks=["mastodon"],
        feeds=[],
    )
    assert _names(watch) == {"search:mastodon:CHU Nord"}
    assert Stream.objects.get(name="search:mastodon:CHU Nord").pk == kept.pk  # its cursor is kept
    watch_set_active(watch=watch, active=False, by=world.alice)
    assert _names(watch) == set()
    watch_set_active(watch=watch, active=True, by=world.alice)
    assert _names(watch) == {"search:mastodon:CHU Nord"}
    watch_delete(watch=watch, by=world.alice)
    assert not Stream.objects.exists()


def test_a_stream_left_behind_by_a_paused_watch_is_dropped(watch, site):
    stream = _feed_stream(watch)
    Watch.objects.filter(pk=watch.pk).update(active=False)
    assert read_watch_stream(stream) == 0
    assert not Stream.objects.filter(pk=stream.pk).exists()


def test_due_watch_streams_are_read_by_the_periodic_job(watch, site):
    from terrain.inbox.tasks import inbox_due

    site.answers["/rss"] = Answer(body=rss(("a1", "CHU Nord", "x")))
    assert inbox_due.call() >= 1  # tasks run at once in tests
    assert Item.objects.filter(remote_id="a1").count() == 1
    assert _feed_stream(watch).next_at > timezone.now()


# --- Network search (Mastodon, on mastodon-mock).


@pytest.fixture(scope="module")
def mastodon_mock():
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def mastodon(mastodon_mock):
    httpx.post(f"{mastodon_mock.base_url}/api/v1/_mock/reset").raise_for_status()
    return mastodon_mock


def _search_watch(world) -> Watch:
    return watch_save(
        structure=world.section, by=world.alice, name="Veille", terms=["CHU Nord"], networks=["mastodon"], feeds=[]
    )


def test_mastodon_search_finds_public_posts_once(world, mastodon):
    _mastodon_account(world, mastodon)
    mastodon.client("bob").status_post("Rassemblement devant le CHU Nord à midi")
    mastodon.client("bob").status_post("Rien à voir")
    watch = _search_watch(world)
    stream = Stream.objects.get(name="search:mastodon:CHU Nord")
    assert read_watch_stream(stream) == 1
    assert read_watch_stream(stream) == 0  # the same answer again: stored once
    [item] = Item.objects.all()
    assert "CHU Nord" in item.text
    assert item.matched == "CHU Nord"
    assert item.conversation.network == "mastodon"
    assert item.conversation.watch_id == watch.pk
    stream.refresh_from_db()
    assert stream.last_error == "" and stream.cursor
    [[state]] = watch_states([watch]).values()
    assert (state.kind, state.network_label, state.target, state.found) == ("search", "Mastodon", "CHU Nord", 1)


def _mastodon_account(world, mastodon) -> ConnectedAccount:
    return ConnectedAccount.objects.create(
        structure=world.section,
        network="mastodon",
        api_base=mastodon.base_url,
        handle="@alice",
        secrets={"access_token": "alice_token"},
        connected_by=world.alice,
    )


def _fault(mastodon, status: int) -> None:
    rule = {"match": {"path": "/api/v2/search"}, "effect": {"type": "status", "status": status}, "count": 1}
    httpx.post(f"{mastodon.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()


def test_search_refused_for_the_token_marks_the_account_broken(world, mastodon):
    account = _mastodon_account(world, mastodon)
    _search_watch(world)
    _fault(mastodon, 401)
    stream = Stream.objects.get(name="search:mastodon:CHU Nord")
    assert read_watch_stream(stream) == 0
    account.refresh_from_db()
    assert account.status == ConnectedAccount.Status.BROKEN
    stream.refresh_from_db()
    assert stream.last_error and stream.next_at > timezone.now() + timedelta(minutes=50)


def test_search_on_a_sick_server_waits_and_keeps_its_place(world, mastodon):
    _mastodon_account(world, mastodon)
    mastodon.client("bob").status_post("CHU Nord : assemblée générale")
    _search_watch(world)
    stream = Stream.objects.get(name="search:mastodon:CHU Nord")
    _fault(mastodon, 503)
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert (stream.failures, stream.cursor) == (1, "")
    assert stream.last_error and stream.next_at > timezone.now()
    assert read_watch_stream(stream) == 1  # the next run reads it
    stream.refresh_from_db()
    assert (stream.failures, stream.last_error) == (0, "")


def test_search_without_an_account_says_to_connect_one(world):
    watch = _search_watch(world)
    stream = Stream.objects.get(name="search:mastodon:CHU Nord")
    assert read_watch_stream(stream) == 0
    stream.refresh_from_db()
    assert "Connect a Mastodon account" in stream.last_error
    assert stream.next_at > timezone.now() + timedelta(minutes=50)
    [[state]] = watch_states([watch]).values()
    assert "Connect a Mastodon account" in state.last_error
