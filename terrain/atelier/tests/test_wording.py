"""The workshop's words: each status its own French, one date format a page, whole words cut with "…"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from terrain.atelier.models import Cadence, Message, MessageEvent, Publication
from terrain.atelier.services import messages as services
from terrain.atelier.services.engine import messages_settle
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.cooperatives.models import JoinRequest
from terrain.feed.models import Notification
from terrain.lib.text import shorten

pytestmark = pytest.mark.django_db
SHORT_DATE = re.compile(r"\b\d\d/\d\d/\d{4}\b")


@pytest.fixture
def shop(world):
    return make_workshop(world)


def _approved(shop, **fields):
    message = services.message_create(
        structure=shop.structure,
        author=shop.dana,
        body=fields.pop("body", "Assemblée générale jeudi à midi, salle B."),
        accounts=[shop.mastodon, shop.bluesky],
        **fields,
    )
    return services.message_approve(message=message, by=shop.eve)


def _page(user, name, *args) -> str:
    return client_for(user).get(reverse(f"atelier:{name}", args=args)).content.decode()


def test_an_approved_message_is_not_tagged_like_an_accepted_join_request(shop):
    with translation.override("fr"):
        assert str(JoinRequest.Status.APPROVED.label) == "Acceptée"
        assert str(Message.Status.APPROVED.label) == "Validé"
    message = _approved(shop)
    html = _page(shop.dana, "message_detail", message.code)
    assert 'atelier-status-tag--approved">Validé<' in html
    assert "Acceptée" not in _page(shop.dana, "message_list", shop.structure.code)


def test_a_reason_ending_its_sentence_gets_no_second_full_stop(shop):
    message = _approved(shop)
    message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=shop.eve)
    Publication.objects.filter(account=shop.mastodon).update(
        state=Publication.State.FAILED,
        last_error="Le compte doit être reconnecté avant que quoi que ce soit y soit publié. " * 3,
    )
    Publication.objects.filter(account=shop.bluesky).update(
        state=Publication.State.PUBLISHED, published_at=timezone.now()
    )
    with transaction.atomic():
        messages_settle(message_ids=[message.pk])
    event = message.events.get(kind=MessageEvent.Kind.PUBLISHED)
    assert ".." not in event.text
    assert event.text.endswith(".")
    summary = Notification.objects.get(user=shop.dana, reason="publication_failed").summary
    assert ".." not in summary and summary.endswith("…")  # a long reason is cut to fit, between words


def test_too_long_names_the_network_as_people_write_it(shop):
    html = (
        client_for(shop.dana)
        .post(
            reverse("atelier:message_new", args=[shop.structure.code]),
            {"submission_key": "composer-key-0001", "body": "Grève " * 80, "accounts": [shop.bluesky.code]},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "Trop long pour Bluesky" in html
    assert "pour bluesky" not in html


def test_the_scheduling_message_says_the_date_as_the_page_does(shop):
    message = _approved(shop)
    day = timezone.localdate() + timedelta(days=3)
    response = client_for(shop.eve).post(
        reverse("atelier:message_schedule", args=[message.code]),
        {"action": "schedule", "date": day.isoformat(), "time": "10:00"},
        follow=True,
    )
    html = response.content.decode()
    assert "Le message est programmé pour le" in html
    assert not SHORT_DATE.findall(html)


def test_the_dashboard_says_next_week_under_next_week(shop):
    Cadence.objects.create(strategy=shop.strategy, network="mastodon", posts_per_week=3)
    html = _page(shop.dana, "dashboard", shop.structure.code)
    this_week, next_week = html.split("Semaine suivante", 1)
    assert "sur Mastodon cette semaine" in this_week
    assert "cette semaine" not in next_week.split("</section>", 1)[0]
    assert "sur Mastodon la semaine prochaine" in next_week


def test_publishing_is_credited_to_the_site_not_to_a_former_member(shop):
    message = _approved(shop)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
    MessageEvent.objects.create(message=message, kind=MessageEvent.Kind.PUBLISHED, text="Publié sur Mastodon.")
    html = _page(shop.dana, "message_detail", message.code)
    assert "<strong>Terrain</strong> a publié le message" in html
    assert "Ancien·ne membre" not in html


def test_titles_are_cut_between_words_with_an_ellipsis(shop):
    body = "Assemblée générale extraordinaire des salariés de la clinique jeudi prochain à midi dans la grande salle"
    message = _approved(shop, body=body)
    message_schedule(message=message, at=timezone.now() + timedelta(days=1), by=shop.eve)
    listed = _page(shop.dana, "message_list", shop.structure.code)
    shortened = shorten(body, 90)
    assert shortened in listed
    assert shortened.endswith("…") and body[len(shortened) - 1] == " "  # cut where a word ends
    calendar = _page(shop.dana, "calendar", shop.structure.code)
    assert shorten(body, 60) in calendar
    assert shorten(body, 40) == str(message) == "Assemblée générale extraordinaire des…"


@pytest.mark.parametrize(
    ("text", "limit", "shortened"),
    [
        ("Assemblée générale jeudi", 20, "Assemblée générale…"),
        ("Assemblée générale jeudi", 24, "Assemblée générale jeudi"),
        ("Grève, jeudi", 8, "Grève…"),  # no comma before the ellipsis
        ("Anticonstitutionnellement", 10, "Anticonst…"),  # one long word: cut inside it
        ("  Deux\n\nlignes  ", 20, "Deux lignes"),
    ],
)
def test_shorten(text, limit, shortened):
    assert shorten(text, limit) == shortened
    assert len(shorten(text, limit)) <= limit


def test_shorten_can_keep_the_lines():
    assert shorten("Première ligne\nseconde ligne bien longue", 24, one_line=False) == "Première ligne\nseconde…"
