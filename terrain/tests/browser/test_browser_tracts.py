"""The tractothèque on a phone and a laptop: a facilitator accepts a tract offered by the union
department, a member filters and says they reused it, a facilitator adds a tract by upload."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_user
from terrain.tracts.models import Tract, TractOffer, TractReuse
from terrain.tracts.services import tract_create, tract_publish
from terrain.tracts.tests.conftest import make_file
from terrain.tracts.tests.test_views import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offered(world):
    world.ud.refresh_from_db()
    denise = make_user("Denise Roy", email="denise@example.org")
    official_add(structure=world.ud, user=denise, role=OfficialRole.SECRETAIRE)
    ud = world.ud.cooperative
    tract = tract_create(
        cooperative=ud,
        file=make_file(ud, name="greve.pdf"),
        title="Tous en grève le 12 mars",
        description="Pour nos salaires.",
        date=datetime.date(2026, 3, 1),
        themes=["Salaires"],
        by=denise,
    )
    tract_publish(tract=tract, by=denise)
    tract_create(
        cooperative=world.private_coop,
        file=make_file(world.private_coop, name="cantine.pdf"),
        title="La cantine de nuit",
        date=datetime.date(2026, 2, 1),
        themes=["Conditions de travail"],
        by=world.alice,
    )
    return tract


def test_a_facilitator_accepts_an_offered_tract_on_a_phone(world, live_server, phone, offered):
    page = signed_in(phone, live_server, world.alice)
    page.goto(live_server.url + reverse("tracts:home", args=[world.private_coop.code]))
    page.get_by_role("link", name="Tracts proposés (1)").click()
    page.get_by_role("button", name="Accepter « Tous en grève le 12 mars »").click()
    page.get_by_role("heading", name="Tous en grève le 12 mars").wait_for()
    assert TractOffer.objects.get(cooperative=world.private_coop).status == "accepted"
    page.get_by_role("link", name="Tous les tracts").click()
    assert page.get_by_text("Proposé par Union départementale du Rhône").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_member_filters_and_says_they_reused_it_on_a_laptop(world, live_server, laptop, offered):
    page = signed_in(laptop, live_server, world.bob)
    page.goto(live_server.url + reverse("tracts:home", args=[world.private_coop.code]))
    page.get_by_label("Thème", exact=True).select_option(label="Conditions de travail")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="La cantine de nuit").click()
    page.get_by_label("Qu’en avez-vous fait ?").select_option(label="Affiché")
    page.get_by_role("button", name="Le signaler").click()
    page.get_by_text("Merci").wait_for()
    assert TractReuse.objects.get().kind == "displayed"


def test_a_facilitator_adds_a_tract_by_upload(world, live_server, laptop, tmp_path):
    pdf = tmp_path / "appel.pdf"
    pdf.write_bytes(PDF)
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("tracts:create", args=[world.private_coop.code]))
    page.get_by_label("Envoyer le tract").set_input_files(str(pdf))
    page.get_by_label("Titre").fill("Appel du 8 mars")
    page.get_by_label("Égalité femmes-hommes").check()
    page.get_by_role("button", name="Ajouter le tract").click()
    page.get_by_role("heading", name="Appel du 8 mars").wait_for()
    assert Tract.objects.get(title="Appel du 8 mars").themes == ["Égalité femmes-hommes"]
