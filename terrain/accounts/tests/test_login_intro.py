"""The first page a visitor sees says what this instance is and whose it is."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_sends_a_visitor_to_a_sign_in_that_says_what_this_is(client, settings):
    settings.SITE_NAME = "Terrain du Rhône"
    settings.SITE_ORGANISATION = "l’Union départementale du Rhône"

    response = client.get("/", follow=True)
    html = response.content.decode()

    assert response.status_code == 200 and 'name="password"' in html
    assert "Terrain du Rhône est l'espace privé de l’Union départementale du Rhône" in html
    assert "les comptes sont ouverts sur invitation" in html


def test_without_an_organisation_the_page_still_says_what_this_is(client, settings):
    settings.SITE_NAME = "Terrain"
    settings.SITE_ORGANISATION = ""

    html = client.get("/compte/connexion/").content.decode()

    assert "Terrain est l'espace privé d'un syndicat pour ses membres." in html
