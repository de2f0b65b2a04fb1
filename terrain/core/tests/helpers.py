"""Assertions shared by view tests."""

from __future__ import annotations

from django.conf import settings


def assert_refused(response, *, hidden: bool = True) -> None:
    """The outsider got nothing: a 404 when existence must stay hidden,
    a 403 or a redirect to sign in otherwise."""
    if hidden:
        assert response.status_code == 404, f"expected 404, got {response.status_code}"
    else:
        assert response.status_code in (302, 403, 404), f"expected a refusal, got {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(str(settings.LOGIN_URL)) or "/compte/connexion/" in response["Location"]


def assert_login_required(response) -> None:
    assert response.status_code == 302, f"expected a redirect to sign in, got {response.status_code}"
    assert "/compte/connexion/" in response["Location"]
