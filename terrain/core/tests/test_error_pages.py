"""Terrain's own error pages (templates/404.html, 403.html, 500.html), in French, in debug mode too."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from terrain.structures.models import Structure


def _edit_url(structure: Structure) -> str:
    return reverse("structures:edit", args=[structure.code])


def _is_ours(page) -> bool:
    text = page.content.decode()
    return 'class="site-header"' in text and "Django" not in text


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
def test_a_missing_page_is_ours_in_french(debug, world):
    for client in (Client(), _signed_in(world.bob)):
        page = client.get("/cette-page-n-existe-pas/")  # no such address
        assert page.status_code == 404
        assert _is_ours(page)
        assert "Page introuvable" in page.content.decode()
        assert "Using the URLconf" not in page.content.decode()
        page = client.get(reverse("core:help_topic", args=["inconnu"]))  # the view says 404
        assert page.status_code == 404
        assert _is_ours(page)
        assert "Page introuvable" in page.content.decode()


@pytest.mark.django_db
def test_a_refused_page_is_ours_in_french(debug, world):
    page = _signed_in(world.bob).get(_edit_url(world.section))
    assert page.status_code == 403
    assert _is_ours(page)
    assert "Accès refusé" in page.content.decode()


@pytest.mark.django_db
def test_a_server_error_page_is_ours_in_french_and_needs_no_request_context():
    # Django renders it with an empty context: no member, no menu, no database.
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    text = page.content.decode()
    assert "Un problème est survenu" in text
    assert "terrain.css" in text


def test_the_missing_page_of_debug_mode_keeps_django_s_trailing_slash_redirect(settings, db):
    settings.DEBUG = True
    page = Client().get("/aide")
    assert page.status_code == 301
    assert page["Location"] == "/aide/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_our_page_in_french():
    page = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "a@example.org"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "Formulaire expiré" in text
    assert "CSRF" not in text
