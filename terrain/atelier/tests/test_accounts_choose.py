"""Connecting Facebook for a person who manages several Pages: they choose the structure's Page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.networks import registry
from terrain.networks.fakes.facebook import FacebookFake

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings):
    server = FacebookFake()
    server.start()
    settings.NETWORK_TIMEOUT_SECONDS = 2
    settings.NETWORK_API_BASES = {"facebook": server.base_url}
    settings.NETWORK_OAUTH_CLIENTS = {
        "facebook": {"client_id": server.client_id, "client_secret": server.client_secret}
    }
    registry._instances.clear()
    yield server
    server.stop()
    registry._instances.clear()


def _consent(client, world, graph) -> str:
    """Start the connection, consent on the (fake) network, come back: where Terrain sends the browser next."""
    start = client.post(reverse("atelier:account_connect", args=[world.section.code, "facebook"]))
    assert start.status_code == 302
    dialog = httpx.get(start["Location"], follow_redirects=False)
    back = urlsplit(dialog.headers["Location"])
    response = client.get(back.path, parse_qs(back.query))
    assert response.status_code == 302
    return response["Location"]


def test_a_person_with_several_pages_chooses_the_structures_page(world, alice_client, graph):
    union_locale = graph.add_page("Union locale de Lyon", managers=[graph.user_id], followers=310)

    choose_url = _consent(alice_client, world, graph)
    assert choose_url.startswith("/atelier/comptes/choisir/")
    page = alice_client.get(choose_url).content.decode()
    assert "Pour quelle page la structure publie-t-elle ?" in page
    assert "Union locale de Lyon" in page and "Section syndicale Terrain" in page
    assert not ConnectedAccount.objects.exists()

    refused = alice_client.post(choose_url, {"page": "not-a-page"})
    assert refused.status_code == 400
    assert "Choisissez une des pages." in refused.content.decode()

    done = alice_client.post(choose_url, {"page": union_locale})
    assert done.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.secrets["page_id"] == union_locale
    assert account.secrets["access_token"] == graph.page_token(union_locale)
    assert account.followers == 310
    # The choice is used once.
    assert alice_client.get(choose_url).status_code == 404


@pytest.mark.outsider("atelier:account_choose")
def test_the_choice_belongs_to_the_session_that_started_it(world, alice_client, charlie_client, bob_client, graph):
    graph.add_page("Union locale de Lyon", managers=[graph.user_id])
    choose_url = _consent(alice_client, world, graph)
    assert charlie_client.get(choose_url).status_code == 404
    assert bob_client.get(choose_url).status_code == 404
    assert alice_client.get("/atelier/comptes/choisir/forged/").status_code == 404


def test_a_person_with_one_page_is_connected_at_once(world, alice_client, graph):
    assert _consent(alice_client, world, graph) == reverse("atelier:accounts", args=[world.section.code])
    assert ConnectedAccount.objects.get().secrets["page_id"] == graph.page_id


def test_while_the_person_chooses_their_token_is_not_readable_in_the_session_row(world, alice_client, graph):
    import json

    from django.contrib.sessions.models import Session

    graph.add_page("Union locale de Lyon", managers=[graph.user_id])
    _consent(alice_client, world, graph)
    raw = json.dumps(Session.objects.get(session_key=alice_client.session.session_key).get_decoded())
    user_tokens = [token for token, about in graph.tokens.items() if about.get("kind") != "page"]
    assert user_tokens
    for token in [*user_tokens, graph.client_secret]:
        assert token not in raw
