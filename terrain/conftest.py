"""Shared fixtures: three personas and a small world around them.

- alice: animator (facilitator) of the cooperative, official of the section
- bob: a plain member
- charlie: signed in, but in none of it (the outsider)
"""

from __future__ import annotations

import pytest
from django.test import Client

from terrain.tests.factories import make_world


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    # Public pages rendered each time: a test reads what it just changed (one test turns it on).
    settings.PUBLIC_PAGE_SERVER_SECONDS = 0
    # The feed's card cache in memory (files under var/ otherwise), emptied for each test below.
    settings.CACHES = {
        **settings.CACHES,
        "cards": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-cards"},
    }
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_caches(_test_settings):
    """Every test starts with empty caches (the feed's cached cards, cached sessions, the
    skeletons of the menu)."""
    from django.core.cache import caches

    from terrain.core.templatetags.terrain import shared_parts
    from terrain.news.cards import remembered_cards

    for cache in caches.all():
        cache.clear()
    remembered_cards.clear()
    shared_parts.clear()


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def alice(world):
    return world.alice


@pytest.fixture
def bob(world):
    return world.bob


@pytest.fixture
def charlie(world):
    return world.charlie


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return _client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return _client_for(bob)


@pytest.fixture
def charlie_client(charlie) -> Client:
    return _client_for(charlie)
