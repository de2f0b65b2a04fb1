"""The nearest published structures: ordered by distance, filtered by kind and federation."""

from __future__ import annotations

import pytest

from terrain.places.selectors import haversine_km, nearest_sites
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create

pytestmark = pytest.mark.django_db
LYON_3 = (45.760292, 4.849019)


def test_haversine_matches_known_distances():
    assert round(haversine_km(45.7640, 4.8357, 48.8566, 2.3522)) == 391  # Lyon–Paris
    assert haversine_km(*LYON_3, *LYON_3) == 0


def test_nearest_first_with_distances_and_only_published(world, place_site):
    villeurbanne = place_site("Syndicat Villeurbanne", 45.766295, 4.879662)
    grenoble = place_site("Syndicat Grenoble", 45.18663, 5.73631)
    lyon = place_site("Syndicat Lyon 7e", 45.746048, 4.84175)
    place_site("Syndicat caché", 45.7603, 4.8490, published=False)
    paris = place_site("Syndicat Paris", 48.8585, 2.3795)
    found = nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1], limit=10)
    assert [site for site, _d in found] == [lyon, villeurbanne, grenoble, paris]
    assert [d for _s, d in found][:2] == [1.7, 2.5]
    assert [site for site, _d in nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1], limit=2)] == [
        lyon,
        villeurbanne,
    ]


def test_the_box_widens_across_the_world(world, place_site):
    reunion = place_site("Syndicat de La Réunion", -20.878974, 55.448634)
    found = nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1], limit=3)
    assert [site for site, _d in found] == [reunion]
    assert 8900 < found[0][1] < 9100


def test_a_site_without_a_position_is_not_listed(world, place_site):
    place_site("Syndicat sans adresse", None, None)
    assert nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1]) == []


def test_filters_by_kind_and_by_federation(world, place_site):
    federation = structure_create(kind=StructureKind.FEDERATION, name="Fédération santé")
    other = structure_create(kind=StructureKind.FEDERATION, name="Fédération commerce")
    health = place_site("Syndicat santé Lyon", 45.75, 4.85, parent=federation)
    shop = place_site("Syndicat commerce Lyon", 45.751, 4.851, parent=other)
    branch = place_site("Section hôpital", 45.752, 4.852, kind=StructureKind.SECTION, parent=health.structure)
    ud = place_site("UD du Rhône", 45.7601, 4.849, kind=StructureKind.UNION_DEPARTEMENTALE)

    def names(**filters):
        return [s.structure.name for s, _d in nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1], **filters)]

    assert names(kind=StructureKind.UNION_DEPARTEMENTALE) == [ud.structure.name]
    assert set(names(federation=federation)) == {health.structure.name, branch.structure.name}
    assert names(federation=federation, kind=StructureKind.SECTION) == [branch.structure.name]
    assert names(federation=other) == [shop.structure.name]


def test_two_queries_whatever_the_number_of_sites(world, place_site, django_assert_max_num_queries):
    for i in range(30):
        place_site(f"Syndicat {i}", 45.7 + i / 100, 4.8 + i / 100)
    with django_assert_max_num_queries(2):
        found = nearest_sites(latitude=LYON_3[0], longitude=LYON_3[1], limit=10)
        assert [s.structure.name for s, _d in found]  # structures read with the sites
    assert len(found) == 10
