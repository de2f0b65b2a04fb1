"""The tools of a cooperative: turned on or off by its animateurs, followed by tabs, pages and feed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives import tools
from terrain.cooperatives.services import cooperative_set_tools
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.news.services import post_create

pytestmark = pytest.mark.django_db


def tools_url(coop) -> str:
    return reverse("cooperatives:tools", args=[coop.code])


def test_every_tool_starts_on(world):
    assert [t.key for t in world.private_coop.tools_on] == [t.key for t in tools.tools()]
    assert "news" in {t.key for t in tools.tools()}


def test_registry_refuses_a_second_tool_with_the_same_key():
    with pytest.raises(ValueError, match="registered already"):
        tools.register(tools.Tool(key="news", label="Autre", url_name="cooperatives:members"))
    with pytest.raises(ValueError, match="short identifier"):
        tools.register(tools.Tool(key="pas une clé", label="X", url_name="cooperatives:members"))


@pytest.mark.outsider("cooperatives:tools")
def test_only_animateurs_turn_tools_off(world, client, bob_client, charlie_client):
    coop = world.private_coop
    assert_login_required(client.post(tools_url(coop), {}))
    assert_refused(charlie_client.post(tools_url(coop), {}))
    assert bob_client.post(tools_url(coop), {}).status_code == 403
    coop.refresh_from_db()
    assert coop.tool_on("news")


def test_a_tool_turned_off_leaves_tabs_pages_and_feed(world, alice_client, bob_client):
    coop = world.private_coop
    post = post_create(cooperative=coop, author=world.alice, body_html="<div>Assemblée générale jeudi</div>")
    post_url = reverse("news:post_detail", args=[post.code])
    assert "Assemblée générale jeudi" in bob_client.get(reverse("feed:home")).content.decode()

    others = [t.key for t in tools.tools() if t.key != "news"]
    response = alice_client.post(tools_url(coop), {"tools": others})
    assert response.status_code == 302
    coop.refresh_from_db()
    assert not coop.tool_on("news") and coop.disabled_tools == "news"

    detail = bob_client.get(reverse("cooperatives:detail", args=[coop.code]))
    assert detail.status_code == 200
    assert 'aria-current="page">Actualités<' not in detail.content.decode()
    assert bob_client.get(post_url).status_code == 404
    assert bob_client.post(reverse("news:post_create", args=[coop.code]), {"body": "x"}).status_code == 404
    assert "Assemblée générale jeudi" not in bob_client.get(reverse("feed:home")).content.decode()

    # Nothing was deleted: turned on again, everything is back.
    cooperative_set_tools(cooperative=coop, by=world.alice, enabled={t.key for t in tools.tools()})
    assert bob_client.get(post_url).status_code == 200
    assert "Assemblée générale jeudi" in bob_client.get(reverse("feed:home")).content.decode()


def test_an_unknown_tool_is_refused_in_french(world, alice_client):
    response = alice_client.post(tools_url(world.private_coop), {"tools": ["news", "pirate"]})
    assert response.status_code == 400
    assert "pirate" in response.content.decode()  # Django's “Sélectionnez un choix valide…”
    world.private_coop.refresh_from_db()
    assert world.private_coop.tool_on("news")
