"""The inbox's facts on the accounts page: when each account was last read, or why it cannot be."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from terrain.atelier import account_facts
from terrain.atelier.account_facts import AccountFact
from terrain.atelier.models import ConnectedAccount
from terrain.inbox import services
from terrain.inbox.account_facts import reading_facts
from terrain.inbox.tests.conftest import said
from terrain.networks.base import InboundPage, PermissionMissing, TransientError

pytestmark = pytest.mark.django_db


def page(client, world) -> str:
    return client.get(reverse("atelier:accounts", args=[world.section.code])).content.decode()


def reconnect_url(world) -> str:
    """The "Reconnect" button of the account (the page's own list of networks links there too)."""
    url = reverse("atelier:account_connect", args=[world.section.code, "scripted"])
    return f'<a class="button button--small" href="{url}">'


def test_an_account_not_read_yet_then_read(world, account, network, alice_client):
    with translation.override("fr"):
        assert "Boîte commune : pas encore lu" in page(alice_client, world)
        network.script = [InboundPage(items=(said(1),), cursor="c1")]
        services.read_account_stream(account, "notifications")
        html = page(alice_client, world)
    assert "Boîte commune : dernière lecture" in html
    assert reconnect_url(world) not in html


def test_a_failing_reading_shows_its_reason_and_next_try(world, account, network, alice_client):
    for _attempt in range(2):
        network.script = [TransientError("Le serveur répond 503", status=503)]
        services.read_account_stream(account, "notifications")
    with translation.override("fr"):
        html = page(alice_client, world)
    assert "La lecture pour la boîte commune a échoué 2 fois de suite : Le serveur répond 503" in html
    assert "Prochain essai" in html
    assert reconnect_url(world) not in html  # reconnecting cannot cure a server down


def test_a_missing_permission_offers_to_reconnect_an_account_that_still_publishes(
    world, account, network, alice_client
):
    network.script = [PermissionMissing("il manque la permission pages_messaging", status=403)]
    services.read_account_stream(account, "notifications")
    with translation.override("fr"):
        html = page(alice_client, world)
    assert "La boîte commune ne peut pas lire ce compte : il manque la permission pages_messaging" in html
    assert "Connecté" in html and reconnect_url(world) in html


def test_a_failing_stream_next_to_one_read_says_both(world, account, network):
    network.script = [InboundPage(items=(said(1),), cursor="c1")]
    services.read_account_stream(account, "notifications")
    network.script = [PermissionMissing("il manque une permission", status=403)]
    services.read_account_stream(account, "messages")  # another stream of the same account
    with translation.override("en"):
        [read, failing] = reading_facts([account])[account.pk]
    assert read.text.startswith("Inbox: last read") and read.level == "ok"
    assert failing.text == "Its inbox cannot be read: il manque une permission" and failing.reconnect


def test_the_page_does_not_tell_outsiders(world, account, network, charlie_client, bob_client):
    network.script = [PermissionMissing("il manque la permission pages_messaging", status=403)]
    services.read_account_stream(account, "notifications")
    assert charlie_client.get(reverse("atelier:accounts", args=[world.section.code])).status_code == 404
    assert "pages_messaging" not in page(bob_client, world)


def test_the_facts_of_many_accounts_cost_one_query(world, account, network, django_assert_num_queries):
    accounts = [account] + [
        ConnectedAccount.objects.create(
            structure=world.section, network="scripted", handle=f"@compte{i}", remote_id=f"r{i}", secrets={}
        )
        for i in range(5)
    ]
    for other in accounts:
        network.script = [TransientError("503", status=503)]
        services.read_account_stream(other, "notifications")
    with django_assert_num_queries(1):
        facts = reading_facts(accounts)
    assert [[fact.level for fact in found] for found in facts.values()] == [["error"]] * 6
    assert set(facts) == {a.pk for a in accounts}


def test_a_provider_speaking_of_another_account_fails_loudly(world, account, network, monkeypatch):
    monkeypatch.setattr(account_facts, "_PROVIDERS", {"stray": lambda accounts: {-1: [AccountFact("?")]}})
    with pytest.raises(ValueError, match="not on the page"):
        account_facts.account_facts([account])


def test_providers_speak_in_the_order_they_registered(world, account, network, monkeypatch):
    monkeypatch.setattr(account_facts, "_PROVIDERS", {})
    account_facts.register("a", lambda accounts: {accounts[0].pk: [AccountFact("un")]})
    account_facts.register("b", lambda accounts: {accounts[0].pk: [AccountFact("deux")]})
    assert [fact.text for fact in account_facts.account_facts([account])[account.pk]] == ["un", "deux"]
    assert account_facts.account_facts([]) == {}
