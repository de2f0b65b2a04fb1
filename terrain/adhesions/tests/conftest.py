from __future__ import annotations

import pytest

from terrain.public import services as site_services
from terrain.structures.models import OfficialRole, Structure, StructureKind
from terrain.structures.services import official_add, structure_create
from terrain.tests.factories import make_user

GOOD = {
    "first_name": "Nadia",
    "last_name": "Benali",
    "email": "nadia@example.org",
    "phone": "06 12 34 56 78",
    "employer": "Clinique du Parc",
    "workplace_postal_code": "69003",
    "job": "Aide-soignante",
    "message": "Je voudrais des informations sur la cotisation.",
    "preferred_contact": "email",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def site(world):
    site = site_services.site_save(
        structure=world.section, by=world.alice, slug="section-nord", join_text="Adhérez : ensemble on gagne."
    )
    return site_services.site_publish(site=site, by=world.alice)


@pytest.fixture
def sibling(world) -> Structure:
    """Another section of the same union, with its own official (dora)."""
    section = structure_create(kind=StructureKind.SECTION, name="Section Clinique Sud", parent=world.syndicat)
    dora = make_user("Dora Lemaire", email="dora@example.org")
    official_add(structure=section, user=dora, role=OfficialRole.SECRETAIRE)
    section.dora = dora
    return section


@pytest.fixture
def parent_official(world):
    """An official of the union above the section (eve)."""
    eve = make_user("Eve Roux", email="eve@example.org")
    official_add(structure=world.syndicat, user=eve, role=OfficialRole.SECRETAIRE)
    return eve


@pytest.fixture
def join_request(world, site):
    from terrain.adhesions.services import join_request_submit

    values = {k: v for k, v in GOOD.items() if k not in ("consent", "website")}
    return join_request_submit(site=site, values=values)
