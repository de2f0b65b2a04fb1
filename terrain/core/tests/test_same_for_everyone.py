"""``{% same_for_everyone %}``: the menu and the footer rendered once, filled in for each reader."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from terrain.core.templatetags import terrain as terrain_tags
from terrain.lib.fragments import SkeletonError
from terrain.news.services import comment_create, post_create

pytestmark = pytest.mark.django_db


def _tokens(page: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)


def test_the_menu_is_rendered_once_and_each_reader_gets_their_own_parts(world, alice_client, bob_client):
    post = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Réunion</p>")
    comment_create(post=post, author=world.alice, text="J'y serai")  # bob: one unread notification
    rendered = mock.patch.object(terrain_tags, "render_skeleton", wraps=terrain_tags.render_skeleton).start()
    try:
        first = bob_client.get(reverse("structures:list")).content.decode()
        again = bob_client.get(reverse("structures:list")).content.decode()
        # Head, scripts, menu and footer: four parts, rendered for the first page only.
        assert rendered.call_count == 4
        other = alice_client.get(reverse("structures:list")).content.decode()
        # Alice's menu has the "Communication" link (she is an official): a menu of its own.
        assert rendered.call_count == 5
    finally:
        mock.patch.stopall()

    assert 'href="/atelier/"' in other and 'href="/atelier/"' not in first
    assert "1 notification non lue<" in first and "1 notification non lue<" in again
    assert 'id="notifications-badge"' in other and "1 notification non lue<" not in other
    assert world.bob.initials in first and world.alice.initials in other
    assert 'aria-current="page">Structures<' in first
    # Every form of the footer carries a token of this request.
    assert len(_tokens(first)) == 2 and _tokens(first) != _tokens(again)


def test_the_shared_parts_keep_a_form_that_works(world, bob_client):
    page = bob_client.get(reverse("structures:list")).content.decode()
    language_token, _logout = _tokens(page)
    assert 'name="next" value="/structures/"' in page

    response = bob_client.post(
        reverse("accounts:set_language"),
        {"language": "en", "next": "/structures/", "csrfmiddlewaretoken": language_token},
    )
    assert response.status_code == 302
    english = bob_client.get(reverse("structures:list")).content.decode()
    assert ">Sign out<" in english and ">Se déconnecter<" not in english


def test_a_visitor_gets_the_menu_of_a_visitor(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "main-nav" not in page
    assert ">Aide<" in page


@pytest.mark.parametrize("used", ["{{ user.email }}", "{{ request.path }}", "{{ perms.news }}", "{% here %}"])
def test_a_shared_part_that_uses_the_request_or_the_member_fails_loudly(world, alice, used):
    """Rendered empty, it would show every member a page without it: an error in tests instead."""
    template = engines["django"].from_string(
        f"{{% load news terrain %}}{{% same_for_everyone %}}[{used}]{{% endsame_for_everyone %}}"
    )
    request = RequestFactory().get("/secret/")
    request.user = alice
    with translation.override("fr"), pytest.raises(SkeletonError, match="per_reader"):
        template.render({}, request)


def test_a_per_reader_block_of_a_shared_part_sees_the_request_and_the_member(world, alice):
    template = engines["django"].from_string(
        "{% load terrain %}{% same_for_everyone %}[{% per_reader %}{{ user.email }}|{{ request.path }}"
        "{% endper_reader %}]{% endsame_for_everyone %}"
    )
    request = RequestFactory().get("/secret/")
    request.user = alice
    with translation.override("fr"):
        html = template.render({}, request)
    assert html == f"[{alice.email}|/secret/]"


def test_a_csrf_token_outside_a_per_reader_block_fails_loudly(alice):
    template = engines["django"].from_string(
        "{% load terrain %}{% same_for_everyone %}<form>{% csrf_token %}</form>{% endsame_for_everyone %}"
    )
    request = RequestFactory().get("/")
    request.user = alice
    with pytest.raises(SkeletonError, match="per_reader"):
        template.render({}, request)


def test_values_and_language_name_their_own_skeleton(alice):
    template = engines["django"].from_string(
        '{% load i18n terrain %}{% same_for_everyone nav=nav %}{% if nav == "feed" %}*{% endif %}'
        '{% translate "Help" %}{% endsame_for_everyone %}'
    )
    request = RequestFactory().get("/")
    request.user = alice
    seen = []
    for language, nav in (("fr", "feed"), ("fr", "structures"), ("en", "feed"), ("fr", "feed")):
        with translation.override(language):
            seen.append(template.render({"nav": nav}, request))
    assert seen == ["*Aide", "Aide", "*Help", "*Aide"]
