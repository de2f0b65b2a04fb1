"""The account and privacy help pages are reachable by anyone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("topic", ["account", "privacy"])
def test_help_page_renders_for_anyone(client: Client, topic):
    response = client.get(reverse("core:help_topic", args=[topic]))
    assert response.status_code == 200
    assert f"core/help/{topic}.html" in [t.name for t in response.templates]
    assert reverse("core:help") in response.content.decode()
