"""Another tool starts a message: ``?texte=...&lien=...`` fills the composer (the elections kit's "Vote!")."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from terrain.atelier.models import Message
from terrain.atelier.tests.compose_helpers import client_for, make_workshop


@pytest.fixture
def shop(world):
    return make_workshop(world, approval_required=False)


def test_text_and_link_fill_a_new_message(shop):
    client = client_for(shop.eve)
    query = urlencode({"texte": "Votez ! Élections CSE le 30/03.", "lien": "https://exemple.org/s/x/elections/abc/"})
    html = client.get(reverse("atelier:message_new", args=[shop.structure.code]) + "?" + query).content.decode()
    assert "Votez ! Élections CSE le 30/03." in html
    assert 'value="https://exemple.org/s/x/elections/abc/"' in html
    assert not Message.objects.exists()  # nothing saved until the author saves


def test_a_link_that_is_no_web_address_is_left_out(shop):
    client = client_for(shop.eve)
    query = urlencode({"lien": "javascript:alert(1)"})
    html = client.get(reverse("atelier:message_new", args=[shop.structure.code]) + "?" + query).content.decode()
    assert "javascript:alert" not in html


def test_an_existing_message_keeps_its_own_text(shop):
    from terrain.atelier.services import messages as services

    client = client_for(shop.eve)
    message = services.message_create(
        structure=shop.structure, author=shop.eve, body="Le mien", accounts=[shop.mastodon]
    )
    html = client.get(reverse("atelier:message_edit", args=[message.code]) + "?texte=Autre").content.decode()
    assert "Le mien" in html
    assert ">Autre<" not in html
