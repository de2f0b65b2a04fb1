"""The public join forms: a site's and the instance-wide one; bad input, robots, floods."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from terrain.adhesions.models import JoinRequest
from terrain.adhesions.services import route_join_request
from terrain.adhesions.tests.conftest import GOOD
from terrain.feed.models import Notification
from terrain.public import services as site_services

pytestmark = pytest.mark.django_db


def _url(site):
    return reverse("adhesions_public:join", args=[site.slug])


def test_the_form_is_a_public_page_with_the_consent_wording(client, site, settings):
    settings.ADHESION_RETENTION_DAYS = 180
    response = client.get(_url(site))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert "Adhérez : ensemble on gagne." in page
    assert "180 jours" in page
    assert "Seuls les responsables du syndicat" in page
    assert 'name="website"' in page


def test_a_request_is_stored_routed_confirmed_and_announced(client, site, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(site), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("adhesions_public:thanks", args=[site.slug])
    request = JoinRequest.objects.get()
    assert request.structure == world.section
    assert (request.first_name, request.phone, request.status) == ("Nadia", "06 12 34 56 78", "new")
    assert request.consent_at is not None and not request.is_spam
    visitor, official = sorted(mail.outbox, key=lambda m: m.to != ["nadia@example.org"])
    assert visitor.to == ["nadia@example.org"] and official.to == ["alice@example.org"]
    assert "Section Hôpital Nord" in visitor.subject and "Nadia" in visitor.body
    assert "Nadia" not in official.body and request.code in official.body  # no visitor's details by e-mail
    notice = Notification.objects.get(user=world.alice)
    assert notice.reason == "adhesion_new" and request.code in notice.target_url
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Merci" in thanks.content.decode()


def test_bad_input_is_explained_in_french_and_kept(client, site):
    response = client.post(
        _url(site),
        {**GOOD, "email": "nadia@", "phone": "12345", "workplace_postal_code": "6900", "consent": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Donnez une adresse e-mail valide" in page
    assert "Donnez un numéro de téléphone français" in page
    assert "Donnez le code postal du lieu de travail" in page
    assert "Cochez la case" in page
    assert 'value="Clinique du Parc"' in page and 'value="nadia@"' in page
    assert "Je voudrais des informations" in page
    assert not JoinRequest.objects.exists()


def test_a_postal_code_that_does_not_exist_is_refused(client, site):
    response = client.post(_url(site), {**GOOD, "workplace_postal_code": "00100"})
    assert response.status_code == 400
    response = client.post(_url(site), {**GOOD, "preferred_contact": "phone", "phone": ""})
    assert "Donnez un numéro de téléphone, ou choisissez" in response.content.decode()


def test_a_robot_gets_thanks_but_its_request_is_hidden(client, site, world, alice_client):
    response = client.post(_url(site), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert request.is_spam
    assert not mail.outbox and not Notification.objects.exists()
    page = alice_client.get(reverse("adhesions:list", args=[world.section.code])).content.decode()
    assert "Nadia" not in page
    assert alice_client.get(reverse("adhesions:detail", args=[request.code])).status_code == 404


def test_a_flood_is_refused_politely_and_real_requests_are_all_stored(site, world):
    """1,000 submissions in a burst: one robot hammering, robots filling the honeypot, real people."""
    statuses: dict[int, int] = {}
    real = 0
    for n in range(1000):
        if n % 4 == 0:  # one address sending again and again
            client, data = Client(REMOTE_ADDR="203.0.113.9"), {**GOOD, "website": "x"}
        elif n % 4 == 1:  # robots from many addresses, honeypot filled
            client, data = Client(REMOTE_ADDR=f"198.51.{n // 256}.{n % 256}"), {**GOOD, "website": "x"}
        else:  # people, each from their own connection
            client = Client(REMOTE_ADDR=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
            data = {**GOOD, "email": f"person{n}@example.org"}
            real += 1
        response = client.post(_url(site), data)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 429:
            assert "Trop de demandes" in response.content.decode()
    assert set(statuses) == {302, 429}
    assert statuses[429] == 250 - 5  # the hammering address: 5 let through, then refused
    assert JoinRequest.objects.filter(is_spam=False).count() == real == 500
    assert JoinRequest.objects.filter(is_spam=True).count() == 250 + 5


def test_the_instance_wide_form_lets_the_visitor_choose(client, site, world, sibling):
    other = site_services.site_save(structure=sibling, by=sibling.dora, slug="clinique-sud")
    site_services.site_publish(site=other, by=sibling.dora)
    unpublished = world.ud
    site_services.site_save(structure=unpublished, by=world.alice, slug="ud-cachee")
    page = client.get(reverse("adhesions_public:join_any")).content.decode()
    assert '<optgroup label="Section syndicale">' in page or "<optgroup" in page
    assert "Section Clinique Sud" in page and "ud-cachee" not in page
    missing = client.post(reverse("adhesions_public:join_any"), GOOD)
    assert missing.status_code == 400 and "Choisissez le syndicat" in missing.content.decode()
    response = client.post(reverse("adhesions_public:join_any"), {**GOOD, "site": "clinique-sud"})
    assert response.status_code == 302
    assert JoinRequest.objects.get().structure == sibling
    assert client.post(reverse("adhesions_public:join_any"), {**GOOD, "site": "ud-cachee"}).status_code == 400


def test_routing_keeps_the_chosen_site(site, world):
    assert route_join_request(site=site, workplace_postal_code="13001") == site


def _two_towns(world):
    from pathlib import Path

    import terrain.places.tests as places_tests
    from terrain.places.dataset import sample_records
    from terrain.places.services import communes_load
    from terrain.structures.models import StructureKind
    from terrain.structures.services import structure_create

    communes_load(records=sample_records(Path(places_tests.__file__).with_name("communes_sample.csv")))
    sites = {}
    for name, lat, lon in (("Syndicat de Lyon", 45.7597, 4.8422), ("Syndicat de Grenoble", 45.1866, 5.7363)):
        structure = structure_create(kind=StructureKind.SYNDICAT, name=name)
        site = site_services.site_save(structure=structure, by=world.alice, latitude=lat, longitude=lon)
        sites[name] = site_services.site_publish(site=site, by=world.alice)
    return sites


def test_the_nearest_union_to_the_workplace_gets_the_request(client, world):
    sites = _two_towns(world)
    response = client.post(
        reverse("adhesions_public:join_any"), {**GOOD, "site": "au-plus-pres", "workplace_postal_code": "38100"}
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.structure, request.site) == (sites["Syndicat de Grenoble"].structure, sites["Syndicat de Grenoble"])
    assert response["Location"].endswith(reverse("adhesions_public:thanks", args=[request.site.slug]))


def test_a_workplace_postal_code_that_names_no_town_is_said_next_to_it(client, world):
    _two_towns(world)
    response = client.post(
        reverse("adhesions_public:join_any"), {**GOOD, "site": "au-plus-pres", "workplace_postal_code": "99999"}
    )
    assert response.status_code == 400
    assert "99999" in response.content.decode()
    assert 'value="au-plus-pres" selected' in response.content.decode()  # what was chosen is kept
    assert not JoinRequest.objects.exists()


def test_the_site_shows_the_join_section(client, site):
    home = client.get(reverse("public:home", args=[site.slug])).content.decode()
    assert _url(site) in home and "Adhérez : ensemble on gagne." in home
    assert home.count("Adhérez : ensemble on gagne.") == 1
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert _url(site) in sitemap


@pytest.mark.outsider("adhesions_public:join", "adhesions_public:thanks")
def test_an_unpublished_site_has_no_join_form(client, charlie_client, site, world):
    site_services.site_unpublish(site=site, by=world.alice)
    for who in (client, charlie_client):
        assert who.get(_url(site)).status_code == 404
        assert who.post(_url(site), GOOD).status_code == 404
        assert who.get(reverse("adhesions_public:thanks", args=[site.slug])).status_code == 404
    assert not JoinRequest.objects.exists()
