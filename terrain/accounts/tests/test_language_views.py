"""The language switch (in accounts: the choice is saved on the profile)."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_language_switch_sets_cookie_when_signed_out_and_ignores_browser_language(client):
    assert client.get(reverse("core:help"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "fr"
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": reverse("core:help")})
    assert response.status_code == 302 and response["Location"] == reverse("core:help")
    assert client.get(reverse("core:help"))["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switch_is_saved_on_the_profile(bob_client, bob):
    bob_client.post(reverse("accounts:set_language"), {"language": "en"})
    bob.refresh_from_db()
    assert bob.language == "en"


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("feed:home")
