"""The writing coach in the composer: under the text, short, a mechanical fix in one tap (here without JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.atelier.models import Message
from terrain.atelier.services import messages as services
from terrain.atelier.tests.compose_helpers import client_for, make_workshop

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shop(world):
    return make_workshop(world)


def edit_url(message) -> str:
    return reverse("atelier:message_edit", args=[message.code])


def test_the_coach_sits_right_after_the_text_inside_the_form(shop):
    message = services.message_create(structure=shop.structure, author=shop.dana, body="Le CHSCT se réunit.")
    html = client_for(shop.dana).get(edit_url(message)).content.decode()
    form = html.split('id="composer"', 1)[1].split("</form>", 1)[0]
    text, coach, link = (form.index('name="body"'), form.index('id="composer-coach"'), form.index('name="link"'))
    assert text < coach < link
    assert 'data-flag="acronym"' in form


def test_the_why_is_said_once_for_advice_of_one_kind(shop):
    message = services.message_create(
        structure=shop.structure, author=shop.dana, body="Le CHSCT, la NAO et le CSE se réunissent."
    )
    html = client_for(shop.dana).get(edit_url(message)).content.decode()
    coach = html.split('id="composer-coach"', 1)[1].split("</section>", 1)[0]
    codes = re.findall(r'data-flag="(\w+)"', coach)
    assert codes.count("acronym") == 3
    assert coach.count("Pourquoi ?") == len(set(codes))  # once for the three acronyms


def test_the_autosave_answer_replaces_the_coach_out_of_band(shop):
    response = client_for(shop.dana).post(
        reverse("atelier:message_new", args=[shop.structure.code]),
        {"submission_key": "composer-key-0004", "body": "Le CHSCT se réunit."},
        **HTMX,
    )
    html = response.content.decode()
    assert re.search(r'id="composer-coach"[^>]*hx-swap-oob="true"', html)
    assert 'data-flag="acronym"' in html


def test_a_mechanical_fix_without_javascript_is_made_by_the_server(shop):
    message = services.message_create(
        structure=shop.structure, author=shop.dana, body="Le CHSCT se réunit. LA NAO COMMENCE JEUDI"
    )
    client = client_for(shop.dana)
    html = client.get(edit_url(message)).content.decode()
    values = re.findall(r'<button type="submit" name="fix" value="([^"]+)"', html)
    fixes = {}
    for value in values:
        fixes.setdefault(value.split(":")[0], value)
    assert set(fixes) == {"acronym", "shouting"}
    response = client.post(edit_url(message), {"body": message.body, "fix": fixes["acronym"]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Le comité d'hygiène et de sécurité (CHSCT) se réunit. LA NAO COMMENCE JEUDI"

    html = client.get(edit_url(message)).content.decode()
    shouting = re.search(r'<button type="submit" name="fix" value="(shouting:[^"]+)"', html).group(1)
    client.post(edit_url(message), {"body": message.body, "fix": shouting})
    message.refresh_from_db()
    assert message.body == "Le comité d'hygiène et de sécurité (CHSCT) se réunit. La NAO commence jeudi"


def test_a_stale_fix_changes_nothing_but_the_text_typed(shop):
    message = services.message_create(structure=shop.structure, author=shop.dana, body="Le CHSCT se réunit.")
    client_for(shop.dana).post(edit_url(message), {"body": "Texte tout autre", "fix": "acronym:3:8"})
    assert Message.objects.get().body == "Texte tout autre"
