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
