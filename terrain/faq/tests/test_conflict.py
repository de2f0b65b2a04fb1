"""Two facilitators edit the same entry: the second save is refused, nothing is overwritten."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from terrain.faq.services import EntryConflict, entry_update
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_the_second_save_is_refused_and_both_versions_shown(world, alice_client, entry, theme):
    emma = make_user("Emma Roche")
    official_add(structure=world.section, user=emma, role=OfficialRole.TRESORIER)
    emma_client = Client()
    emma_client.force_login(emma)
    url = reverse("faq:entry_edit", args=[entry.code])

    # Both open the form on version 1.
    alice_version = _version(alice_client.get(url).content.decode())
    emma_version = _version(emma_client.get(url).content.decode())
    assert alice_version == emma_version == "1"

    first = alice_client.post(
        url,
        {
            "question": "Version d’Alice ?",
            "answer": "<div>Texte d’Alice</div>",
            "theme": theme.pk,
            "version": alice_version,
        },
    )
    assert first.status_code == 302

    second = emma_client.post(
        url,
        {
            "question": "Version d’Emma ?",
            "answer": "<div>Texte d’Emma</div>",
            "theme": theme.pk,
            "version": emma_version,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Quelqu’un d’autre a enregistré cette question pendant que vous la modifiiez." in html
    assert "Version d’Alice ?" in html and "Texte d’Alice" in html  # the stored version
    assert "Version d’Emma ?" in html and "Texte d’Emma" in html  # her text, kept in the form
    entry.refresh_from_db()
    assert (entry.question, entry.version, entry.last_editor) == ("Version d’Alice ?", 2, world.alice)

    # Saving again, knowingly, replaces it.
    assert _version(html) == "2"
    third = emma_client.post(
        url, {"question": "Version d’Emma ?", "answer": "<div>Texte d’Emma</div>", "theme": theme.pk, "version": "2"}
    )
    assert third.status_code == 302
    entry.refresh_from_db()
    assert (entry.question, entry.version, entry.last_editor) == ("Version d’Emma ?", 3, emma)


def test_the_service_refuses_a_stale_version(world, entry, theme):
    entry_update(entry=entry, version=1, question="A", answer_html="<div>a</div>", theme=theme, by=world.alice)
    with pytest.raises(EntryConflict) as raised:
        entry_update(entry=entry, version=1, question="B", answer_html="<div>b</div>", theme=theme, by=world.alice)
    assert raised.value.current.question == "A"
    entry.refresh_from_db()
    assert entry.question == "A"
