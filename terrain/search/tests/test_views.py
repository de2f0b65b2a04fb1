from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.news.services import post_create

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def _post(world, text, coop=None):
    return post_create(cooperative=coop or world.private_coop, author=world.alice, body_html=f"<p>{text}</p>")


def test_results_with_snippets_links_and_count(world, bob_client, django_assert_max_num_queries):
    posts = [_post(world, f"Les salariés en grève numéro {n}") for n in range(3)]
    with django_assert_max_num_queries(12):
        response = bob_client.get(URL, {"q": "grève salarié"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 résultats" in html or "3 results" in html
    assert "<mark>grève</mark>" in html and "<mark>salariés</mark>" in html
    assert reverse("news:post_detail", args=[posts[0].code]) in html
    assert "no-store" in response["Cache-Control"]


def test_pagination_keeps_filters(world, bob_client):
    for n in range(25):
        _post(world, f"Tract {n}")
    html = bob_client.get(URL, {"q": "tract", "type": "post"}).content.decode()
    assert "type=post" in html and "page=2" in html
    second = bob_client.get(URL, {"q": "tract", "type": "post", "page": 2}).content.decode()
    assert second.count('class="card search-result"') == 5


@pytest.mark.outsider("search:results")
def test_outsider_sees_nothing(world, charlie_client, client):
    _post(world, "Réunion secrète")
    html = charlie_client.get(URL, {"q": "réunion"}).content.decode()
    assert "secrète" not in html
    # Not signed in: to the sign-in page.
    assert client.get(URL, {"q": "réunion"}).status_code == 302


def test_empty_query_and_no_results(world, bob_client):
    assert "Tapez un ou plusieurs mots" in bob_client.get(URL, {"q": "  "}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    html = bob_client.get(URL, {"q": "introuvable", "type": "post"}).content.decode()
    assert "filtres" in html or "filters" in html


def test_invalid_dates_keep_what_was_typed(world, bob_client):
    _post(world, "Réunion")
    response = bob_client.get(URL, {"q": "réunion", "depuis": "2026-13-45", "jusqu": "hier"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2026-13-45"' in html and 'value="hier"' in html
    assert "card search-result" not in html
    assert "Saisissez une date" in html or "Enter a date" in html


def test_other_cooperative_filter_is_refused(world, bob_client, charlie):
    from terrain.cooperatives.services import cooperative_create_open

    theirs = cooperative_create_open(name="Autre", by=charlie, description="x")
    response = bob_client.get(URL, {"q": "réunion", "cooperative": theirs.pk})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_header_has_the_search_box(world, bob_client):
    html = bob_client.get(reverse("feed:home")).content.decode()
    assert 'id="site-search-q"' in html and URL in html
