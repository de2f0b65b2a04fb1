"""The workshop's admin pages open, change nothing, and never show an account's secrets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import LexiconEntry
from terrain.atelier.services.strategy import strategy_get_or_create
from terrain.atelier.tests.plan_factories import make_account, make_scheduled
from terrain.tests.factories import make_user


@pytest.fixture
def admin_client(world) -> Client:
    client = Client()
    client.force_login(make_user("Admin", is_staff=True, is_superuser=True))
    return client


def test_admin_pages_open_read_only_and_hide_secrets(admin_client, world):
    account = make_account(world.section, secrets={"access_token": "tres-secret-jeton-42"})
    message = make_scheduled(world.section, timezone.now() + timedelta(days=1), accounts=[account])
    strategy_get_or_create(structure=world.section)
    LexiconEntry.objects.create(structure=world.section, acronym="CSE", expansion="comité social et économique")
    for name in ("strategy", "lexiconentry", "connectedaccount", "message", "publication", "recurrence", "queueslot"):
        response = admin_client.get(reverse(f"admin:atelier_{name}_changelist"))
        assert response.status_code == 200, name
        assert "tres-secret-jeton-42" not in response.content.decode()
    page = admin_client.get(reverse("admin:atelier_connectedaccount_change", args=[account.pk]))
    assert page.status_code == 200
    assert "tres-secret-jeton-42" not in page.content.decode()
    assert "secrets" not in page.content.decode()
    assert admin_client.get(reverse("admin:atelier_message_change", args=[message.pk])).status_code == 200
    assert admin_client.get(reverse("admin:atelier_connectedaccount_add")).status_code == 403
    response = admin_client.post(reverse("admin:atelier_connectedaccount_change", args=[account.pk]), {"handle": "x"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.handle == "@section@example.org"


def test_help_page_renders_in_french(client):
    response = client.get(reverse("core:help_topic", args=["atelier-plan"]))
    assert response.status_code == 200
    assert "Aucune publication prévue sur Mastodon cette semaine (objectif : 3)" in response.content.decode()
