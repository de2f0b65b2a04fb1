"""Tracked short links: /l/<code> counts a click (day and channel only) and redirects to web addresses only."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from terrain.atelier.models import Publication
from terrain.insights.links import link_click_record, link_tracked_for_relay, link_tracked_url
from terrain.insights.models import LinkClick, TrackedLink
from terrain.relays.tests.conftest import publish_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication(world):
    message = publish_message(world.section, author=world.alice, link="https://exemple.org/tract")
    return Publication.objects.select_related("account", "message").get(message=message, account__network="mastodon")


def _code(short: str) -> str:
    return short.rsplit("/", 1)[-1]


def test_rewriter_setting_names_the_function():
    assert settings.ATELIER_LINK_REWRITER == "terrain.insights.links.link_tracked_url"


def test_tracked_url_is_short_on_site_and_stable(publication, settings):
    settings.SITE_URL = "https://terrain.example"
    short = link_tracked_url(publication=publication, url="https://exemple.org/tract")
    assert short.startswith("https://terrain.example/l/")
    assert link_tracked_url(publication=publication, url="https://exemple.org/tract") == short
    link = TrackedLink.objects.get()
    assert (link.message, link.publication, link.channel) == (publication.message, publication, "mastodon")


def test_non_web_links_are_left_alone(publication):
    assert link_tracked_url(publication=publication, url="javascript:alert(1)") == "javascript:alert(1)"
    assert link_tracked_url(publication=publication, url="") == ""
    assert not TrackedLink.objects.exists()


def test_relay_links_have_their_own_channel(world, publication):
    short = link_tracked_for_relay(message=publication.message, url="https://exemple.org/tract")
    assert TrackedLink.objects.get(code=_code(short)).channel == "relay"
    assert short == link_tracked_for_relay(message=publication.message, url="https://exemple.org/tract")


@pytest.mark.outsider("links:follow")
def test_unknown_code_is_404_and_a_click_is_counted_once_per_request(publication, client):
    assert client.get("/l/aaaaaaaaaaaaaa").status_code == 404
    assert client.get("/l/not-a-code").status_code == 404
    short = link_tracked_url(publication=publication, url="https://exemple.org/tract?a=1")
    response = client.get(f"/l/{_code(short)}")
    assert response.status_code == 302
    assert response["Location"] == "https://exemple.org/tract?a=1"
    assert response["Referrer-Policy"] == "no-referrer"
    Client().get(f"/l/{_code(short)}")
    client.head(f"/l/{_code(short)}")  # a link preview is not a click
    bucket = LinkClick.objects.get()
    assert (bucket.count, bucket.channel) == (2, "mastodon")


def test_only_web_targets_are_redirected(publication, client):
    # A row that slipped through with a dangerous scheme is never followed.
    link = TrackedLink.objects.create(
        message=publication.message, publication=None, url="javascript:alert(1)", channel="relay"
    )
    assert client.get(f"/l/{link.code}").status_code == 404
    assert not LinkClick.objects.exists()


def test_clicks_fall_in_day_buckets(publication, django_assert_max_num_queries):
    short = link_tracked_url(publication=publication, url="https://exemple.org/")
    link = TrackedLink.objects.get(code=_code(short))
    link_click_record(link=link, day=date(2026, 3, 1))
    with django_assert_max_num_queries(1):  # later clicks of the day: one UPDATE
        link_click_record(link=link, day=date(2026, 3, 1))
    link_click_record(link=link, day=date(2026, 3, 2))
    assert dict(LinkClick.objects.values_list("day", "count")) == {date(2026, 3, 1): 2, date(2026, 3, 2): 1}
