"""The election's page on the structure's public site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.elections.models import Election
from terrain.elections.services import election_move, election_update
from terrain.public import services as public_services

pytestmark = pytest.mark.django_db


def _publish(election, world):
    return election_move(election=election, status=Election.Status.PUBLISHED, by=world.alice)


@pytest.mark.outsider("elections_public:detail", "elections_public:list")
def test_a_draft_or_archived_election_has_no_page(client, charlie_client, world, election, site):
    url = reverse("elections_public:detail", args=[site.slug, election.code])
    assert client.get(url).status_code == 404
    assert charlie_client.get(url).status_code == 404
    assert election.title not in client.get(reverse("elections_public:list", args=[site.slug])).content.decode()
    _publish(election, world)
    assert client.get(url).status_code == 200
    election_move(election=election, status=Election.Status.ARCHIVED, by=world.alice)
    assert client.get(url).status_code == 404
    # A closed site has no elections at all.
    public_services.site_unpublish(site=site, by=world.alice)
    assert client.get(reverse("elections_public:list", args=[site.slug])).status_code == 404


def test_an_election_of_another_structure_is_not_on_this_site(client, world, election):
    _publish(election, world)
    other = public_services.site_save(structure=world.syndicat, by=world.alice, slug="syndicat-sante")
    public_services.site_publish(site=other, by=world.alice)
    assert client.get(reverse("elections_public:detail", args=[other.slug, election.code])).status_code == 404
    assert client.get(reverse("elections_public:detail", args=[other.slug, "pas-un-code"])).status_code == 404


def test_the_page_says_dates_countdown_and_how_to_vote_but_no_names_by_default(client, world, election, site):
    _publish(election, world)
    response = client.get(reverse("elections_public:detail", args=[site.slug, election.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "J-40" in page
    assert "Bureau de vote au self" in page
    assert "Sandrine Lopez" not in page  # personal data: off by default
    assert "Karim Haddad" not in page
    election_update(election=election, by=world.alice, show_names=True)
    page = client.get(reverse("elections_public:detail", args=[site.slug, election.code])).content.decode()
    assert "Sandrine Lopez" in page
    assert "Infirmière" in page


def test_the_site_shows_it_in_menu_home_sitemap_and_feed(client, world, election, site):
    home = reverse("public:home", args=[site.slug])
    assert "Élections" not in client.get(home).content.decode()
    _publish(election, world)
    url = reverse("elections_public:detail", args=[site.slug, election.code])
    page = client.get(home).content.decode()
    assert reverse("elections_public:list", args=[site.slug]) in page  # the menu
    assert url in page and "J-40" in page  # the home block with its countdown
    assert url in client.get(reverse("sitemap")).content.decode()
    assert url in client.get(reverse("public:feed", args=[site.slug])).content.decode()
    assert url in client.get(reverse("elections_public:list", args=[site.slug])).content.decode()


def test_the_officials_reach_the_kit_from_the_site_page(alice_client, world, site):
    page = alice_client.get(reverse("public_manage:edit", args=[world.section.code])).content.decode()
    assert reverse("elections:list", args=[world.section.code]) in page


def test_the_locator_card_says_when_the_vote_is(world, election, site, django_assert_num_queries):
    from django.utils import translation

    from terrain.public.registry import locator_facts

    assert locator_facts([site], keys=["elections"]) == {}
    _publish(election, world)
    with translation.override("fr"), django_assert_num_queries(1):
        facts = locator_facts([site], keys=["elections"])
    assert facts[site.pk][0].startswith("Élections : vote le ")
