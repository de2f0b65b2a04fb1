"""Accounts to reconnect in the composer: labelled, a warning before scheduling, "publish now" refused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount, Message, Publication
from terrain.atelier.tests.compose_helpers import client_for, make_workshop

KEY = "composer-key-0002"


@pytest.fixture
def shop(world):
    shop = make_workshop(world)
    ConnectedAccount.objects.filter(pk=shop.bluesky.pk).update(
        status=ConnectedAccount.Status.BROKEN, status_detail="Mot de passe d'application révoqué"
    )
    return shop


def new_url(shop) -> str:
    return reverse("atelier:message_new", args=[shop.structure.code])


def checkbox_label(html: str, account) -> str:
    """The words of the label holding the account's checkbox."""
    for match in re.finditer(r'<label class="checkbox[^"]*"[^>]*>(.*?)</label>', html, re.S):
        if f'value="{account.code}"' in match.group(1):
            return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
    raise AssertionError(f"no checkbox for {account}")


def test_an_account_to_reconnect_is_labelled_in_the_composer(shop):
    html = client_for(shop.eve).get(new_url(shop)).content.decode()
    assert "à reconnecter" in checkbox_label(html, shop.bluesky)
    assert "à reconnecter" not in checkbox_label(html, shop.mastodon)


def _post(shop, action: str, **extra):
    data = {
        "submission_key": KEY,
        "title": "Rassemblement",
        "body": "Rassemblement samedi devant la mairie. Venez !",
        "accounts": [shop.mastodon.code, shop.bluesky.code],
        "action": action,
        "date": "2030-07-14",
        "time": "09:30",
        **extra,
    }
    return client_for(shop.eve).post(new_url(shop), data)


@pytest.mark.parametrize("action", ["schedule", "next_slot"])
def test_scheduling_to_an_account_to_reconnect_warns_first_and_keeps_what_was_typed(shop, action):
    from datetime import time

    from terrain.atelier.models import QueueSlot

    QueueSlot.objects.create(structure=shop.structure, weekday=2, local_time=time(12, 0))
    response = _post(shop, action)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bluesky · section-nord.bluesky doit être reconnecté" in html
    assert "Programmer quand même" in html
    assert "Rassemblement samedi devant la mairie. Venez !" in html
    assert 'value="Rassemblement"' in html
    assert 'value="2030-07-14"' in html or action == "next_slot"
    message = Message.objects.get()
    assert message.status == Message.Status.DRAFT
    assert not Publication.objects.exists()

    # Confirmed: it is scheduled, the broken account's publication waits for the reconnection.
    response = _post(shop, action, schedule_anyway="1")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED


def test_scheduling_to_connected_accounts_only_asks_nothing(shop):
    response = _post(shop, "schedule", accounts=[shop.mastodon.code])
    assert response.status_code == 302
    assert Message.objects.get().status == Message.Status.SCHEDULED


def test_publish_now_to_an_account_to_reconnect_is_refused_in_plain_words(shop):
    response = _post(shop, "publish_now", schedule_anyway="1")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bluesky · section-nord.bluesky doit être reconnecté" in html
    assert "Comptes" in html and "décochez-le" in html
    assert "Rassemblement samedi devant la mairie. Venez !" in html
    assert Message.objects.get().status == Message.Status.DRAFT
    assert not Publication.objects.exists()


def test_publish_now_from_the_message_page_is_refused_too(shop):
    from terrain.atelier.services import messages as services

    message = services.message_create(
        structure=shop.structure, author=shop.eve, body="Texte", accounts=[shop.mastodon, shop.bluesky]
    )
    url = reverse("atelier:message_schedule", args=[message.code])
    response = client_for(shop.eve).post(url, {"action": "publish_now"})
    assert response.status_code == 400
    assert "doit être reconnecté" in response.content.decode()
    assert not Publication.objects.exists()


def test_ticking_an_account_to_reconnect_says_so_under_the_text_as_you_type(shop):
    response = client_for(shop.eve).post(
        new_url(shop),
        {"submission_key": KEY, "body": "Texte", "accounts": [shop.mastodon.code, shop.bluesky.code]},
        HTTP_HX_REQUEST="true",
    )
    counters = response.content.decode().split('id="composer-counters"', 1)[1].split("</div>", 1)[0]
    assert "Bluesky · section-nord.bluesky doit être reconnecté" in counters
    assert "section-nord.mastodon doit" not in counters
