"""The elections kit in a browser: an official fixes a list that fails the parity check, on a
laptop and on a phone; a visitor reads the election's page on a phone. Every page through axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.elections.models import Candidate, Election
from terrain.elections.services import college_save, election_create, election_move
from terrain.public import services as public_services
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def election(world):
    election = election_create(
        structure=world.section,
        by=world.alice,
        title="Élections CSE 2027",
        employer="Hôpital Nord",
        vote_date=timezone.localdate() + timedelta(days=12),
        how_to_vote="Au self, de 7 h à 19 h.",
    )
    college_save(election=election, by=world.alice, name="Employés", seats=5, electorate_women=60, electorate_men=40)
    return election


def _fill(page, rows):
    for index, (name, sex) in enumerate(rows):
        page.locator(f"#id_candidates-{index}-name").fill(name)
        page.locator(f"#id_candidates-{index}-gender").select_option(sex)
        page.locator(f"#id_candidates-{index}-ORDER").fill(str(index + 1))
    page.get_by_role("button", name="Enregistrer et vérifier").click()


def _fix_a_list(page, live_server, world, election):
    page.goto(live_server.url + reverse("elections:list", args=[world.section.code]))
    page.get_by_role("link", name="Élections CSE 2027").click()
    page.get_by_text("J-12").first.wait_for()
    page.get_by_role("link", name="Modifier la liste « Employés »").click()
    _fill(page, [("Anne", "F"), ("Bruno", "M"), ("Chloé", "M")])
    page.get_by_text("Il faut 2 femmes et 1 homme sur cette liste de 3 : vous avez 1 femme et 2 hommes.").wait_for()
    # The saved rows come back with blank ones under them.
    _fill(page, [("Anne", "F"), ("Bruno", "M"), ("Chloé", "M"), ("Driss", "F"), ("Eva", "F")])
    page.get_by_text("Les candidats doivent alterner : la 3e place devrait être une femme.").wait_for()
    _fill(page, [("Anne", "F"), ("Bruno", "M"), ("Chloé", "F"), ("Driss", "M"), ("Eva", "F")])
    page.get_by_text("Conforme").first.wait_for()
    assert Candidate.objects.count() == 5


def test_an_official_fixes_a_list_on_a_laptop(world, live_server, laptop, election):
    page = signed_in(laptop, live_server, world.alice)
    _fix_a_list(page, live_server, world, election)
    page.get_by_role("link", name="← Élections CSE 2027").click()
    page.get_by_role("button", name="Publier sur le site").click()
    page.get_by_text("L’élection est maintenant : Publiée.").wait_for()


def test_an_official_fixes_a_list_on_a_phone(world, live_server, phone, election):
    page = signed_in(phone, live_server, world.alice)
    _fix_a_list(page, live_server, world, election)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(live_server.url + reverse("elections:detail", args=[election.code]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_visitor_reads_the_election_on_a_phone(world, live_server, phone, election):
    site = public_services.site_save(structure=world.section, by=world.alice, slug="hopital-nord")
    public_services.site_publish(site=site, by=world.alice)
    election_move(election=election, status=Election.Status.PUBLISHED, by=world.alice)
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/hopital-nord/")
    page.get_by_role("link", name="L’élection : dates, comment voter").click()
    page.get_by_role("heading", name="Élections CSE 2027").wait_for()
    assert page.get_by_text("J-12").is_visible()
    assert page.get_by_text("Au self, de 7 h à 19 h.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
