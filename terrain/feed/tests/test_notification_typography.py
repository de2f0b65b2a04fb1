"""Notifications follow French typography: a non-breaking space before ":" and inside « »."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from terrain.atelier.services.accounts import account_mark_broken
from terrain.atelier.tests.plan_factories import make_account
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _notification_texts(client) -> list[str]:
    page = client.get(reverse("feed:notifications")).content.decode()
    items = re.findall(r'<li class="notification.*?</li>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split(" ")) for item in items]


def test_notifications_put_a_non_breaking_space_before_a_colon_and_inside_quotes(world, alice_client):
    notifications_create(
        users=[world.alice], reason=Notification.Reason.JOIN_REQUEST, actor=world.charlie, cooperative=world.open_coop
    )
    notifications_create(
        users=[world.alice], reason=Notification.Reason.MESSAGE_SUBMITTED, actor=world.bob, summary="Grève jeudi"
    )
    account_mark_broken(account=make_account(world.section), error="jeton expiré")
    texts = _notification_texts(alice_client)
    assert len(texts) == 3
    colons = [text for text in texts if ":" in text]
    assert len(colons) == 3
    for text in colons:
        assert not re.search(f"[^{NBSP}]:", text), text
    summarised = next(text for text in texts if "Grève jeudi" in text)
    assert f"«{NBSP}Grève jeudi{NBSP}»" in summarised


def test_the_summary_of_a_failed_publication_puts_a_non_breaking_space_before_a_colon():
    from django.utils.translation import gettext

    with translation.override("fr"):
        line = gettext("%(account)s: %(error)s") % {"account": "@syndicat", "error": "refusé"}
    assert line == f"@syndicat{NBSP}: refusé"
