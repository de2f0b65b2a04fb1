"""The figures page and the crisis room: who sees them, the statement, closing, the timeline export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required
from terrain.inbox.crisis import crisis_check
from terrain.inbox.models import Crisis
from terrain.inbox.tests.crisis_helpers import heat, thread
from terrain.inbox.tone import Tone

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(world):
    now = timezone.now() - timedelta(minutes=5)
    heat(world.section, at=now - timedelta(minutes=50), n=12, tone=Tone.HOSTILE)
    thread(world.section, at=now - timedelta(minutes=55), tone=Tone.CRITICAL, text="=HYPERLINK(pirate)")
    (opened,) = crisis_check(now=now)
    return opened


@pytest.fixture
def writer_client(world, bob, bob_client):
    strategy_get_or_create(structure=world.section).writers.add(bob)
    return bob_client


def test_the_team_reads_the_figures(world, alice_client):
    thread(world.section, at=timezone.now() - timedelta(days=2), replied_after=timedelta(minutes=42))
    response = alice_client.get(reverse("inbox_crisis:figures", args=[world.section.code]), {"periode": "7"})
    assert response.status_code == 200
    assert response.context["figures"].total.answered == 1
    assert "no-store" in response["Cache-Control"]


@pytest.mark.outsider("inbox_crisis:figures")
def test_outsiders_and_members_do_not_see_the_figures(world, client, bob_client, charlie_client):
    url = reverse("inbox_crisis:figures", args=[world.section.code])
    assert_login_required(client.get(url))
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 403


def test_the_room_gathers_threads_statement_and_timeline(world, alice_client, crisis):
    response = alice_client.get(reverse("inbox_crisis:room", args=[crisis.code]))
    assert response.status_code == 200
    assert len(response.context["threads"]) == 13
    assert "Section Hôpital Nord" in response.context["statement"]  # {structure} filled
    link = urlsplit(response.context["composer_link"])
    assert link.path == reverse("atelier:message_new", args=[world.section.code])
    assert parse_qs(link.query)["texte"] == [response.context["statement"]]


def test_an_approver_edits_the_statement_and_closes(world, alice_client, crisis):
    url = reverse("inbox_crisis:statement", args=[crisis.code])
    response = alice_client.post(url, {"statement": ""})
    assert response.status_code == 400  # the form says what is missing
    response = alice_client.post(url, {"statement": "{structure} vous répond bientôt."})
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.statement == "{structure} vous répond bientôt."
    alice_client.post(reverse("inbox_crisis:close", args=[crisis.code]))
    crisis.refresh_from_db()
    assert crisis.state == Crisis.State.CLOSED and crisis.closed_at is not None


def test_a_writer_reads_the_room_but_cannot_close_it(world, writer_client, crisis):
    assert writer_client.get(reverse("inbox_crisis:room", args=[crisis.code])).status_code == 200
    assert writer_client.post(reverse("inbox_crisis:close", args=[crisis.code])).status_code == 403
    response = writer_client.post(reverse("inbox_crisis:statement", args=[crisis.code]), {"statement": "x"})
    assert response.status_code == 403
    crisis.refresh_from_db()
    assert crisis.state == Crisis.State.OPEN and crisis.statement != "x"


def test_the_timeline_export_has_the_items_in_order_and_is_recorded(world, alice, alice_client, crisis):
    response = alice_client.get(reverse("inbox_crisis:timeline_csv", args=[crisis.code]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    body = rows[1:]
    assert [row[0] for row in body] == sorted(row[0] for row in body)
    texts = [row[3] for row in body]
    assert sum(1 for text in texts if text.startswith("Un commentaire")) == 12
    assert "'=HYPERLINK(pirate) " in " ".join(texts)  # a formula stays text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_PERSONAL)
    assert entry.actor == alice and entry.target_code == crisis.code


@pytest.mark.outsider("inbox_crisis:room", "inbox_crisis:statement", "inbox_crisis:close", "inbox_crisis:timeline_csv")
def test_outsiders_cannot_see_or_change_a_crisis(world, client, bob_client, charlie_client, crisis):
    for name in ("room", "timeline_csv"):
        url = reverse(f"inbox_crisis:{name}", args=[crisis.code])
        assert_login_required(client.get(url))
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code == 403
    for someone in (charlie_client, bob_client):
        someone.post(reverse("inbox_crisis:statement", args=[crisis.code]), {"statement": "Pirate"})
        someone.post(reverse("inbox_crisis:close", args=[crisis.code]))
    crisis.refresh_from_db()
    assert crisis.state == Crisis.State.OPEN and crisis.statement != "Pirate"
    assert not AuditEntry.objects.exists()


def test_the_pages_cost_the_same_queries_for_few_or_many_threads(
    world, alice_client, crisis, django_assert_max_num_queries
):
    room = reverse("inbox_crisis:room", args=[crisis.code])
    figures = reverse("inbox_crisis:figures", args=[world.section.code])
    with django_assert_max_num_queries(30) as few:
        alice_client.get(room)
    with django_assert_max_num_queries(30) as few_figures:
        alice_client.get(figures)
    heat(world.section, at=timezone.now() - timedelta(minutes=20), n=40, tone=Tone.CRITICAL)
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(room)
    with django_assert_max_num_queries(len(few_figures.captured_queries)):
        alice_client.get(figures)
