"""The cooperatives list (mine and discover) and creating a cooperative."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terrain.cooperatives.models import Cooperative, Membership
from terrain.cooperatives.services import cooperative_archive, cooperative_create_open, membership_add
from terrain.core.tests.helpers import assert_login_required
from terrain.tests.factories import make_image_file, make_user

pytestmark = pytest.mark.django_db
LIST = reverse("cooperatives:list")


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.outsider("cooperatives:list")
def test_list_needs_sign_in(client):
    assert_login_required(client.get(LIST))


def test_list_shows_mine_and_discovers_only_open_live_ones(world, bob_client, charlie_client):
    other = make_user("Dana")
    other_open = cooperative_create_open(name="Cyclistes du quartier", by=other)
    archived = cooperative_create_open(name="Ancienne campagne", by=other)
    cooperative_archive(cooperative=archived, by=other, archived=True)

    page = bob_client.get(LIST)
    mine = [m.cooperative for m in page.context["memberships"]]
    assert set(mine) == {world.private_coop, world.open_coop}
    assert list(page.context["discover"].object_list) == [other_open]

    page = charlie_client.get(LIST)
    assert page.context["memberships"] == []
    discovered = set(page.context["discover"].object_list)
    assert discovered == {world.open_coop, other_open}
    html = page.content.decode()
    # Never a private cooperative of someone else, nor an archived one.
    assert world.private_coop.name not in html and world.private_coop.code not in html
    assert "Ancienne campagne" not in html
    assert "Vous ne faites encore partie d'aucune coopérative." in html


def test_discover_search_marks_pending_requests_and_paginates(world, charlie_client):
    for n in range(25):
        cooperative_create_open(name=f"Atelier {n:02d}", by=world.alice)
    page = charlie_client.get(LIST, {"q": "atelier"})
    assert page.context["discover"].paginator.count == 25
    assert len(page.context["discover"].object_list) == 24
    assert len(charlie_client.get(LIST, {"q": "atelier", "page": 2}).context["discover"].object_list) == 1

    charlie_client.post(reverse("cooperatives:request", args=[world.open_coop.code]))
    page = charlie_client.get(LIST, {"q": "professionnelle"})
    [coop] = page.context["discover"].object_list
    assert coop == world.open_coop and coop.request_pending
    assert "Demande envoyée" in page.content.decode()

    empty = charlie_client.get(LIST, {"q": "zzzz"})
    assert "Aucune coopérative ouverte ne correspond à" in empty.content.decode()


def test_discover_search_ignores_accents_and_case(world, charlie_client):
    cooperative_create_open(name="Cœur de métier", by=world.alice, description="Les MÉTIERS du soin")

    def found(q: str) -> list[str]:
        return [c.name for c in charlie_client.get(LIST, {"q": q}).context["discover"].object_list]

    assert found("egalite") == ["Égalité professionnelle"]
    assert found("  ÉGAL ") == ["Égalité professionnelle"]
    assert found("ENSEMBLE") == ["Égalité professionnelle"]  # its description
    assert found("coeur") == ["Cœur de métier"]
    assert found("metiers du") == ["Cœur de métier"]
    assert found("égalitaire") == []


def test_discover_search_answers_htmx_with_the_partial(world, charlie_client):
    response = charlie_client.get(LIST, {"q": "professionnelle"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="discover")
    assert response.status_code == 200
    assert "<h1>" not in response.content.decode()
    assert world.open_coop.name in response.content.decode()


def test_list_queries_do_not_grow_with_the_number_of_cooperatives(
    world, bob, bob_client, django_assert_max_num_queries
):
    stranger = make_user("Eve")
    cooperative_create_open(name="Autre", by=stranger)
    baseline = _query_count(bob_client, LIST)
    for n in range(12):
        mine = cooperative_create_open(name=f"Mienne {n}", by=stranger)
        membership_add(cooperative=mine, user=bob)
        cooperative_create_open(name=f"Autre {n}", by=stranger)
    Membership.objects.filter(user=bob).update(muted=True)
    assert _query_count(bob_client, LIST) == baseline
    with django_assert_max_num_queries(8):
        page = bob_client.get(LIST)
    assert len(page.context["memberships"]) == 14
    assert "En sourdine dans mon fil" in page.content.decode()


@pytest.mark.outsider("cooperatives:create")
def test_create_needs_sign_in(client):
    assert_login_required(client.get(reverse("cooperatives:create")))
    assert_login_required(client.post(reverse("cooperatives:create"), {"name": "X", "join_policy": "open"}))
    assert not Cooperative.objects.filter(name="X").exists()


def test_create_makes_the_creator_facilitator(world, charlie, charlie_client):
    page = charlie_client.get(reverse("cooperatives:create"))
    assert page.status_code == 200
    assert page.context["form"]["join_policy"].value() == "request"  # on request by default

    response = charlie_client.post(
        reverse("cooperatives:create"),
        {
            "name": "Jeunes militants",
            "description": "Pour les moins de 30 ans.",
            "join_policy": "open",
            "image": make_image_file(),
        },
    )
    coop = Cooperative.objects.get(name="Jeunes militants")
    assert response.status_code == 302 and response["Location"] == reverse("cooperatives:detail", args=[coop.code])
    assert coop.kind == Cooperative.Kind.OPEN and coop.join_policy == "open" and coop.image
    assert Membership.objects.get(cooperative=coop, user=charlie).role == Membership.Role.ANIMATEUR


def test_create_keeps_typed_input_on_errors(world, charlie_client):
    response = charlie_client.post(
        reverse("cooperatives:create"),
        {"name": "", "description": "Gardé", "join_policy": "request", "image": make_image_file("x.jpg", fmt="GIF")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name"}
    assert "Gardé" in response.content.decode()

    bad = SimpleUploadedFile("tract.jpg", b"not an image", content_type="image/jpeg")
    response = charlie_client.post(reverse("cooperatives:create"), {"name": "Y", "join_policy": "open", "image": bad})
    assert response.status_code == 200 and "image" in response.context["form"].errors
    assert not Cooperative.objects.filter(name="Y").exists()


def test_a_tile_says_who_may_join_in_one_label(world, charlie_client):
    html = charlie_client.get(LIST).content.decode()
    tile = html[html.index(world.open_coop.name) - 600 : html.index(world.open_coop.name) + 600]

    assert '<span class="tag">Sur demande</span>' in tile
    assert "Ouverte" not in tile
