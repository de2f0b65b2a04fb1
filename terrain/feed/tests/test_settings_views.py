"""Feed settings: muting a cooperative."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.cooperatives.models import Membership
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.tests.conftest import HTMX

pytestmark = pytest.mark.django_db


def _muted(user, cooperative) -> bool:
    return Membership.objects.get(user=user, cooperative=cooperative).muted


def test_settings_list_my_cooperatives_with_a_switch_each(world, bob_client):
    html = bob_client.get(reverse("feed:settings")).content.decode()

    assert "Section Hôpital Nord" in html and "Égalité professionnelle" in html
    assert html.count('name="muted" value="1"') == 2


def test_settings_of_someone_in_no_cooperative_say_what_to_do(world, charlie_client):
    html = charlie_client.get(reverse("feed:settings")).content.decode()
    assert "Vous ne faites encore partie d'aucune coopérative." in html
    assert reverse("cooperatives:list") in html


@pytest.mark.outsider("feed:settings")
def test_settings_need_an_account(client):
    assert_login_required(client.get(reverse("feed:settings")))


def test_mute_then_unmute_without_javascript(world, bob_client):
    url = reverse("feed:mute", args=[world.open_coop.code])

    response = bob_client.post(url, {"muted": "1", "next": reverse("feed:home")})
    assert response.status_code == 302 and response["Location"] == reverse("feed:home")
    assert _muted(world.bob, world.open_coop)

    response = bob_client.post(url, {"muted": "0", "next": "https://evil.example/"})
    assert response["Location"] == reverse("feed:settings")
    assert not _muted(world.bob, world.open_coop)


def test_mute_toggles_without_a_value_and_answers_htmx_with_the_row(world, bob_client):
    response = bob_client.post(reverse("feed:mute", args=[world.private_coop.code]), **HTMX)

    html = response.content.decode()
    assert _muted(world.bob, world.private_coop)
    assert f'id="mute-{world.private_coop.code}"' in html
    assert 'name="muted" value="0"' in html and "Retirer la sourdine" in html
    assert not _muted(world.alice, world.private_coop)  # only mine


@pytest.mark.outsider("feed:mute")
def test_outsiders_cannot_mute(world, charlie_client, client):
    assert_refused(charlie_client.post(reverse("feed:mute", args=[world.private_coop.code])))
    assert_refused(charlie_client.post(reverse("feed:mute", args=[world.open_coop.code])), hidden=False)
    assert_login_required(client.post(reverse("feed:mute", args=[world.open_coop.code])))
