from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.views import HELP_TOPICS


@pytest.mark.django_db
def test_health_answers_ok(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_help_pages_render_in_french_by_default(client):
    response = client.get(reverse("core:help"))
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    for topic in HELP_TOPICS:
        page = client.get(reverse("core:help_topic", args=[topic]))
        assert page.status_code == 200, topic


@pytest.mark.django_db
def test_unknown_help_topic_is_404(client):
    assert client.get(reverse("core:help_topic", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_language_switch_sets_cookie_when_signed_out_and_ignores_browser_language(client):
    assert client.get(reverse("core:help"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "fr"
    response = client.post(reverse("core:set_language"), {"language": "en", "next": reverse("core:help")})
    assert response.status_code == 302 and response["Location"] == reverse("core:help")
    assert client.get(reverse("core:help"))["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switch_is_saved_on_the_profile(bob_client, bob):
    bob_client.post(reverse("core:set_language"), {"language": "en"})
    bob.refresh_from_db()
    assert bob.language == "en"


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("feed:home")
