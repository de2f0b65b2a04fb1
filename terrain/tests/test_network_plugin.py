"""Adding a network touches its own package only: a tiny one registered here shows up everywhere.

The connector below is declared in this test module alone; registering it is enough
for the workshop's choice lists, the composer's counters and the relays' share
targets to offer it (nothing in the apps names a network).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terrain.atelier.forms_plan import StrategyForm
from terrain.atelier.models import Cadence, ConnectedAccount
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.networks import counting, registry
from terrain.networks.base import Connector
from terrain.networks.sharing import ShareLink, ShareText
from terrain.relays.models import Relay
from terrain.relays.tests.conftest import publish_message

HTMX = {"HTTP_HX_REQUEST": "true"}


class PigeonShare(ShareLink):
    budget = 30

    def url(self, share: ShareText, *, instance: str = "") -> str:
        return "https://pigeon.example/envoyer?" + urlencode({"mot": self.text(share)})


class PigeonConnector(Connector):
    """A carrier pigeon: every word weighs 5, and it carries 40 at most."""

    kind = "pigeon"
    label = "Pigeon voyageur"
    max_chars = 40
    link_in_text = True
    share = PigeonShare()
    auth_flow = "app_password"

    def count_characters(self, text: str) -> int:
        return 5 * len(text.split())


@pytest.fixture
def pigeon():
    registry.register(PigeonConnector)
    yield registry.get_connector("pigeon")
    registry.unregister("pigeon")


def test_without_registration_nobody_knows_the_pigeon():
    assert "pigeon" not in dict(registry.choices())
    assert registry.share_target("pigeon") is None
    assert counting.limit("pigeon") is None


@pytest.mark.django_db
def test_the_choice_lists_offer_it(pigeon, world):
    assert ("pigeon", "Pigeon voyageur") in registry.choices()
    field = ConnectedAccount._meta.get_field("network")
    assert ("pigeon", "Pigeon voyageur") in list(field.choices)
    account = ConnectedAccount(structure=world.section, network="pigeon", handle="pigeonnier")
    account.full_clean()  # the stored value is a valid choice: no migration was needed
    assert account.get_network_display() == "Pigeon voyageur"
    with pytest.raises(ValidationError):
        ConnectedAccount(structure=world.section, network="corbeau", handle="x").full_clean()
    Cadence._meta.get_field("network").clean("pigeon", None)
    form = StrategyForm(members=type(world.bob).objects.none())
    assert "cadence_pigeon" in form.fields
    assert form.fields["cadence_pigeon"].label == "Pigeon voyageur"


@pytest.mark.django_db
def test_the_composer_counts_it_its_own_way(pigeon, world):
    shop = make_workshop(world)
    account = ConnectedAccount.objects.create(structure=shop.structure, network="pigeon", handle="pigeonnier")
    assert counting.count("pigeon", "un deux trois") == 15
    html = (
        client_for(shop.dana)
        .post(
            reverse("atelier:message_new", args=[shop.structure.code]),
            {
                "submission_key": "composer-key-0001",
                "body": "Grève jeudi devant la mairie",
                "link": "https://exemple.org/tract",
                "accounts": [account.code, shop.mastodon.code],
            },
            **HTMX,
        )
        .content.decode()
    )
    match = re.search(r'<li class="(atelier-counter[^"]*)" data-network="pigeon">(.*?)</li>', html, re.S)
    assert match, "no counter for the pigeon"
    # Five words and the link (it rides in the text): 6 x 5 out of 40.
    assert " ".join(re.sub(r"<[^>]+>", "", match.group(2)).split()) == "Pigeon voyageur 30/40"
    # The networks come in their declared order: Mastodon first, the pigeon (position 100) after.
    assert html.index('data-network="mastodon"') < html.index('data-network="pigeon"')


@pytest.mark.django_db
def test_members_can_relay_through_it(pigeon, world, bob_client, alice_client):
    message = publish_message(world.section, author=world.alice, link="https://exemple.org/tract")
    page = bob_client.get(reverse("relays:message", args=[message.code])).content.decode()
    assert "Partager sur Pigeon voyageur" in page
    response = bob_client.post(reverse("relays:share", args=[message.code, "pigeon"]), {"ligne": "Venez"})
    target = response["Location"]
    assert target.startswith("https://pigeon.example/envoyer?")
    assert parse_qs(urlsplit(target).query)["mot"][0].startswith("Venez\n\nTrente minutes")
    assert Relay.objects.filter(user=world.bob, network="pigeon").count() == 1
    report = alice_client.get(reverse("relays:report", args=[world.section.code])).content.decode()
    assert "Pigeon voyageur" in report
