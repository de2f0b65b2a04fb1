"""The keyword watches' pages: managers only, validation that keeps what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from terrain.atelier.models import ConnectedAccount
from terrain.core.tests.helpers import assert_login_required
from terrain.inbox.models import Item, Stream, Watch
from terrain.inbox.watching import watch_save


@pytest.fixture(autouse=True)
def _english(world):
    """The sentences checked below are the English msgids (French is the site's language): the
    manager reads in English (her profile's choice), and so do the services called here."""
    world.alice.language = "en"
    world.alice.save(update_fields=["language"])
    with translation.override("en"):
        yield


@pytest.fixture
def watch(world):
    return watch_save(
        structure=world.section,
        by=world.alice,
        name="Hôpital Nord",
        terms=["CHU Nord", "#grève"],
        networks=[],
        feeds=["https://journal.example/rss"],
    )


@pytest.fixture
def mastodon_account(world):
    return ConnectedAccount.objects.create(
        structure=world.section, network="mastodon", handle="@section", connected_by=world.alice
    )


def _typed(**values) -> dict:
    return {"name": "Veille", "terms": "CHU Nord", "feeds": "https://journal.example/rss", **values}


@pytest.mark.outsider("inbox_watch:list", "inbox_watch:new")
def test_outsiders_and_members_cannot_see_or_create_watches(world, client, bob_client, charlie_client):
    for name in ("list", "new"):
        url = reverse(f"inbox_watch:{name}", args=[world.section.code])
        assert_login_required(client.get(url))
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code == 403
    new = reverse("inbox_watch:new", args=[world.section.code])
    assert charlie_client.post(new, _typed()).status_code == 404
    assert bob_client.post(new, _typed()).status_code == 403
    assert not Watch.objects.exists()


@pytest.mark.outsider("inbox_watch:edit", "inbox_watch:active", "inbox_watch:delete")
def test_outsiders_and_members_cannot_change_a_watch(world, watch, client, bob_client, charlie_client):
    for name in ("edit", "delete"):
        url = reverse(f"inbox_watch:{name}", args=[watch.code])
        assert_login_required(client.get(url))
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code == 403
    for someone, status in ((charlie_client, 404), (bob_client, 403)):
        assert someone.post(reverse("inbox_watch:edit", args=[watch.code]), _typed(name="Pirate")).status_code == status
        assert someone.post(reverse("inbox_watch:active", args=[watch.code]), {"active": "0"}).status_code == status
        assert someone.post(reverse("inbox_watch:delete", args=[watch.code])).status_code == status
    watch.refresh_from_db()
    assert (watch.name, watch.active) == ("Hôpital Nord", True)


def test_an_unknown_code_is_a_404(alice_client):
    assert alice_client.get(reverse("inbox_watch:edit", args=["zzzzzzzzzzzz"])).status_code == 404


def test_the_list_shows_each_stream_and_its_error(world, watch, alice_client, django_assert_max_num_queries):
    Stream.objects.filter(name__startswith="feed:").update(last_error="There is no feed at this address any more.")
    watch_save(
        structure=world.section,
        by=world.alice,
        name="Autre",
        terms=["Direction"],
        networks=[],
        feeds=["https://a.example/"],
    )
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("inbox_watch:list", args=[world.section.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hôpital Nord" in page and "CHU Nord, #grève" in page
    assert "https://journal.example/rss" in page
    assert "There is no feed at this address any more." in page
    assert "no-store" in response["Cache-Control"]


def test_a_manager_creates_a_watch_with_its_streams(world, alice_client, mastodon_account):
    response = alice_client.post(
        reverse("inbox_watch:new", args=[world.section.code]),
        _typed(terms="CHU Nord\n#grève\n\nCHU Nord", networks=["mastodon"]),
    )
    assert response.status_code == 302
    watch = Watch.objects.get()
    assert (watch.term_list, watch.networks, watch.created_by) == (["CHU Nord", "#grève"], ["mastodon"], world.alice)
    assert set(Stream.objects.values_list("name", flat=True)) == {
        "search:mastodon:CHU Nord",
        "search:mastodon:#grève",
        "feed:https://journal.example/rss",
    }


def test_only_networks_the_structure_can_search_are_offered(world, alice_client, mastodon_account):
    page = alice_client.get(reverse("inbox_watch:new", args=[world.section.code])).content.decode()
    assert 'value="mastodon"' in page
    assert 'value="bluesky"' not in page  # no Bluesky account
    response = alice_client.post(reverse("inbox_watch:new", args=[world.section.code]), _typed(networks=["bluesky"]))
    assert response.status_code == 400
    assert not Watch.objects.exists()


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"terms": "  \n "}, "Write at least one word to watch."),
        ({"terms": "\n".join(f"mot{n}" for n in range(21))}, "At most 20 words"),
        ({"terms": "###"}, "has no letter nor digit"),
        ({"feeds": "\n".join(f"https://site{n}.example/rss" for n in range(11))}, "At most 10 feeds"),
        ({"feeds": "ftp://journal.example/rss"}, "is not a web address"),
        ({"feeds": "journal.example"}, "is not a web address"),
        ({"feeds": ""}, "Choose a network to search or add a news feed"),
    ],
)
def test_validation_says_what_is_wrong_and_keeps_what_was_typed(world, alice_client, values, error):
    typed = _typed(name="Ma veille à moi", **values)
    response = alice_client.post(reverse("inbox_watch:new", args=[world.section.code]), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'value="Ma veille à moi"' in page
    if typed["feeds"]:
        assert typed["feeds"].splitlines()[0] in page
    assert not Watch.objects.exists()


def test_edit_shows_the_watch_and_saves_it(world, watch, alice_client):
    url = reverse("inbox_watch:edit", args=[watch.code])
    page = alice_client.get(url).content.decode()
    assert "CHU Nord" in page and "https://journal.example/rss" in page
    response = alice_client.post(url, _typed(name="Nouveau nom", terms="Direction", feeds="https://b.example/feed"))
    assert response.status_code == 302
    watch.refresh_from_db()
    assert (watch.name, watch.term_list) == ("Nouveau nom", ["Direction"])
    assert list(Stream.objects.values_list("name", flat=True)) == ["feed:https://b.example/feed"]


def test_pause_start_again_and_delete(world, watch, alice_client):
    active = reverse("inbox_watch:active", args=[watch.code])
    assert alice_client.get(active).status_code == 405
    assert alice_client.post(active, {"active": "0"}).status_code == 302
    watch.refresh_from_db()
    assert not watch.active and not Stream.objects.exists()
    alice_client.post(active, {"active": "1"})
    watch.refresh_from_db()
    assert watch.active and Stream.objects.count() == 1
    delete = reverse("inbox_watch:delete", args=[watch.code])
    assert "Yes, delete it" in alice_client.get(delete).content.decode()
    assert Watch.objects.filter(pk=watch.pk).exists()  # asking is not deleting
    assert alice_client.post(delete).status_code == 302
    assert not Watch.objects.exists() and not Stream.objects.exists() and not Item.objects.exists()
