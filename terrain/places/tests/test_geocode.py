"""A site saved without a position gets its town's; a postal code and town that match nothing are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terrain.places.geocode import PlaceNotFound, locate
from terrain.public import services
from terrain.public.models import Site

pytestmark = pytest.mark.django_db


def test_without_the_communes_loaded_nothing_is_checked(world):
    assert locate(postal_code="69003", commune="Lyon") is None
    site = services.site_save(structure=world.section, by=world.alice, postal_code="99999", commune="Nulle part")
    assert site.latitude is None


def test_the_town_gives_the_position(world, communes):
    assert locate(postal_code="69003", commune="Lyon") == (45.760292, 4.849019)  # its arrondissement
    assert locate(postal_code="69003", commune="") == (45.760292, 4.849019)
    assert locate(postal_code="", commune="st etienne") == (45.439587, 4.387475)
    assert locate(postal_code="20220", commune="L Ile Rousse") == (42.637323, 8.936077)
    with pytest.raises(PlaceNotFound) as unknown:
        locate(postal_code="69004", commune="Lyon")
    assert unknown.value.field == "postal_code"
    with pytest.raises(PlaceNotFound) as elsewhere:
        locate(postal_code="69003", commune="Grenoble")
    assert elsewhere.value.field == "commune" and "Lyon 3e Arrondissement" in elsewhere.value.message


def test_site_save_fills_the_position_unless_given(world, communes):
    site = services.site_save(structure=world.section, by=world.alice, postal_code="38000", commune="Grenoble")
    assert (site.latitude, site.longitude) == (45.18663, 5.73631)
    kept = services.site_save(
        structure=world.section, by=world.alice, postal_code="38000", commune="Grenoble", latitude=45.2, longitude=5.7
    )
    assert (kept.latitude, kept.longitude) == (45.2, 5.7)
    with pytest.raises(ValidationError) as refused:
        services.site_save(
            structure=world.section, by=world.alice, postal_code="38000", commune="Lyon", latitude=None, longitude=None
        )
    assert "commune" in refused.value.message_dict
    site.refresh_from_db()
    assert site.commune == "Grenoble" and site.latitude == 45.2  # nothing half-written


def test_the_site_form_says_which_field_to_correct(world, alice_client, communes):
    url = reverse("public_manage:edit", args=[world.section.code])
    response = alice_client.post(url, {"slug": "ma-section", "postal_code": "69004", "commune": "Lyon"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Aucune commune n’a le code postal 69004" in page or "69004" in page
    assert 'value="Lyon"' in page  # what was typed is kept
    assert not Site.objects.filter(structure=world.section).exists()
    response = alice_client.post(url, {"slug": "ma-section", "postal_code": "69003", "commune": "Lyon"})
    assert response.status_code == 302
    site = Site.objects.get(structure=world.section)
    assert (site.latitude, site.longitude) == (45.760292, 4.849019)
