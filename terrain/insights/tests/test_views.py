from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.insights.models import FollowerSnapshot, MetricsState
from terrain.insights.tests.conftest import publish

pytestmark = pytest.mark.django_db


def _with_figures(account, *, text, remote_id, ago, likes):
    publication = publish(account, text=text, remote_id=remote_id, ago=ago)
    MetricsState.objects.create(publication=publication, likes=likes, reposts=1, replies=0, next_at=None)
    return publication


@pytest.mark.outsider("insights:structure")
def test_outsider_gets_404_and_member_without_role_403(world, charlie_client, bob_client):
    url = reverse("insights:structure", args=[world.section.code])
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 403


@pytest.mark.outsider("insights:export")
def test_export_refused_to_outsiders(world, charlie_client, bob_client, client):
    url = reverse("insights:export", args=[world.section.code])
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page


def test_official_sees_totals_best_post_and_followers(world, alice_client, account, django_assert_max_num_queries):
    _with_figures(account, text="Victoire sur les salaires", remote_id="1", ago=timedelta(days=2), likes=40)
    _with_figures(account, text="Permanence mardi", remote_id="2", ago=timedelta(days=3), likes=3)
    today = timezone.localdate()
    FollowerSnapshot.objects.create(account=account, day=today - timedelta(days=2), followers=100)
    FollowerSnapshot.objects.create(account=account, day=today, followers=130)

    with django_assert_max_num_queries(14):
        response = alice_client.get(reverse("insights:structure", args=[world.section.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce qui a le mieux marché" in page
    assert "Victoire sur les salaires" in page
    assert "130 abonné·es (30 sur la période)" in page
    assert "<polyline" in page


def test_empty_period_says_so(world, alice_client):
    page = alice_client.get(reverse("insights:structure", args=[world.section.code])).content.decode()
    assert "Rien n’a encore été publié sur cette période." in page


def test_csv_export_lists_every_publication_and_neutralises_formulas(world, alice_client, account):
    _with_figures(account, text='=HYPERLINK("http://evil")', remote_id="1", ago=timedelta(days=1), likes=5)
    _with_figures(account, text="Assemblée générale", remote_id="2", ago=timedelta(days=200), likes=2)
    response = alice_client.get(reverse("insights:export", args=[world.section.code]) + "?periode=30")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Publié le", "Réseau"]
    assert len(rows) == 2  # the 200-day-old one is outside the 30-day period
    assert rows[1][3].startswith("'=")
    assert rows[1][4] == "5"


def test_message_page_shows_each_publications_figures_and_relays(world, alice_client, bob, account):
    from terrain.relays.models import Relay

    publication = _with_figures(account, text="Victoire", remote_id="9", ago=timedelta(days=1), likes=17)
    Relay.objects.create(message=publication.message, user=bob, network="whatsapp")
    page = alice_client.get(f"/atelier/messages/{publication.message.code}/").content.decode()
    assert "J’aime : 17 · partages : 1 · réponses : 0 · clics sur le lien : 0" in page
    assert "Relayé par des militant·es : WhatsApp 1" in page
