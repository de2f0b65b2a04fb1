"""Answering on the public site: the form, its messages, conditions, closed consultations, floods."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from terrain.consultations import jobs, services
from terrain.consultations.models import Answer, Consultation, Response
from terrain.consultations.tests.helpers import answers, published_site, questionnaire
from terrain.consultations.views_public import ANSWERS_PER_CLIENT
from terrain.public.services import site_unpublish

pytestmark = pytest.mark.django_db


def _url(consultation):
    return reverse("consultations_public:answer", args=["section-nord", consultation.code])


def test_the_form_is_a_public_page_without_token_nor_inline_script(world, client):
    consultation = questionnaire(world)
    page = client.get(_url(consultation))
    assert page.status_code == 200
    assert "public" in page["Cache-Control"]
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html and "<script>" not in html
    assert 'name="website"' in html  # the honeypot
    assert "Faites-vous des heures supplémentaires ?" in html
    # Without JavaScript the conditional question shows, with its note.
    assert "Répondez seulement si vous avez choisi « Oui » à la question 1." in html
    assert "consultations/answer.js" in html


def test_answers_are_stored_whole(world, client):
    consultation = questionnaire(world)
    page = client.post(_url(consultation), answers(consultation, which=("Nuit", "Week-end")))
    assert page.status_code == 200
    assert "Merci" in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    response = Response.objects.get()
    assert response.answers.count() == 5  # one choice, two choices, a value, a text
    assert Answer.objects.get(value__isnull=False).value == 4


def test_missing_required_answers_give_the_form_back_with_what_was_typed(world, client):
    consultation = questionnaire(world)
    data = answers(consultation)
    first = consultation.questions.order_by("position").first()
    data.pop(f"q-{first.code}")
    page = client.post(_url(consultation), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Répondez à cette question." in html
    assert "Trop de rappels sur les repos" in html  # the text typed is kept
    assert 'value="4" checked' in html
    assert not Response.objects.exists()


def test_too_many_choices_and_a_wrong_value_are_refused_in_french(world, client):
    consultation = questionnaire(world)
    page = client.post(_url(consultation), answers(consultation, which=("Nuit", "Week-end", "Jours fériés"), scale=9))
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choisissez au plus 2 options." in html
    assert "Choisissez une valeur de 1 à 5." in html
    assert not Response.objects.exists()


def test_a_condition_is_applied_on_the_server(world, client):
    consultation = questionnaire(world)
    # "Non" to the first question: the (required) second one is not asked, its answer dropped.
    page = client.post(_url(consultation), answers(consultation, first="Non", which=("Nuit",)))
    assert page.status_code == 200
    second = consultation.questions.order_by("position")[1]
    assert not Answer.objects.filter(question=second).exists()
    # "Oui" without the second answer: now it is required.
    client.cookies.clear()
    page = client.post(_url(consultation), answers(consultation, first="Oui", which=()))
    assert page.status_code == 400
    assert Response.objects.count() == 1


@pytest.mark.outsider("consultations_public:index", "consultations_public:answer")
def test_a_draft_or_a_closed_site_shows_nothing(world, client, charlie_client):
    consultation = questionnaire(world, open_it=False)
    for someone in (client, charlie_client):
        assert someone.get(_url(consultation)).status_code == 404
        assert someone.post(_url(consultation), answers(consultation)).status_code == 404
    services.consultation_transition(consultation=consultation, to="open", by=world.alice)
    assert client.get(_url(consultation)).status_code == 200
    site_unpublish(site=world.section.site, by=world.alice)
    assert client.get(_url(consultation)).status_code == 404
    assert client.get(reverse("consultations_public:index", args=["section-nord"])).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.outsider("consultations_public:invited")
def test_an_unknown_invitation_link_is_a_404(world, client):
    consultation = questionnaire(world, invited_only=True)
    url = reverse("consultations_public:invited", args=["section-nord", consultation.code, "pas-un-jeton"])
    assert client.get(url).status_code == 404
    assert client.post(url, answers(consultation)).status_code == 404


def test_a_closed_consultation_says_so_politely(world, client):
    consultation = questionnaire(world)
    services.consultation_transition(consultation=consultation, to="closed", by=world.alice)
    page = client.get(_url(consultation))
    assert page.status_code == 200
    assert "Cette consultation est close" in page.content.decode()
    refused = client.post(_url(consultation), answers(consultation))
    assert refused.status_code == 403
    assert "Cette consultation est close" in refused.content.decode()
    assert not Response.objects.exists()


def test_a_consultation_past_its_closing_date_takes_no_answer(world, client):
    from datetime import timedelta

    from django.utils import timezone

    consultation = questionnaire(world)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert client.post(_url(consultation), answers(consultation)).status_code == 403
    assert jobs.consultations_close_due() == 1
    assert Consultation.objects.get(pk=consultation.pk).state == "closed"


def test_the_honeypot_is_thanked_and_counted_never_stored(world, client):
    consultation = questionnaire(world)
    page = client.post(_url(consultation), {**answers(consultation), "website": "http://spam.example"})
    assert page.status_code == 200
    assert not Response.objects.exists()
    assert Consultation.objects.get(pk=consultation.pk).refused == 1


def test_a_second_answer_from_the_same_browser_is_refused_politely(world, client):
    consultation = questionnaire(world)
    assert client.post(_url(consultation), answers(consultation)).status_code == 200
    again = client.post(_url(consultation), answers(consultation))
    assert again.status_code == 409
    assert "déjà" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_flood_of_a_thousand_submissions(world):
    """From one address: the first ones stored, the rest refused with a 429 that keeps the answers,
    never a 500. From many addresses (a workplace, a large union): every real answer stored."""
    consultation = questionnaire(world)
    url = _url(consultation)
    data = answers(consultation)
    statuses: dict[int, int] = {}
    for _ in range(500):
        browser = Client()  # a script that drops cookies
        status = browser.post(url, data, REMOTE_ADDR="198.51.100.1").status_code
        statuses[status] = statuses.get(status, 0) + 1
    assert statuses == {200: ANSWERS_PER_CLIENT, 429: 500 - ANSWERS_PER_CLIENT}
    assert Response.objects.count() == ANSWERS_PER_CLIENT
    assert Consultation.objects.get(pk=consultation.pk).refused == 500 - ANSWERS_PER_CLIENT
    refused = Client().post(url, data, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Trop de rappels sur les repos" in refused.content.decode()

    cache.clear()
    Response.objects.all().delete()
    for n in range(500):
        status = Client().post(url, data, REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}").status_code
        assert status == 200
    assert Response.objects.count() == 500


def test_the_list_the_home_block_the_menu_the_sitemap_and_the_feed(world, client):
    site = published_site(world)
    assert client.get(reverse("public:home", args=[site.slug])).content.decode().count("Consultations") == 0
    consultation = questionnaire(world)
    home = client.get(reverse("public:home", args=[site.slug])).content.decode()
    assert "Donnez votre avis" in home and consultation.title in home
    assert reverse("consultations_public:index", args=[site.slug]) in home  # in the menu
    listing = client.get(reverse("consultations_public:index", args=[site.slug]))
    assert listing.status_code == 200 and consultation.title in listing.content.decode()
    assert _url(consultation) in client.get("/sitemap.xml").content.decode()
    assert _url(consultation) in client.get(reverse("public:feed", args=[site.slug])).content.decode()
    services.consultation_transition(consultation=consultation, to="closed", by=world.alice)
    assert _url(consultation) not in client.get("/sitemap.xml").content.decode()


def test_the_locator_card_and_the_officials_link(world, client, alice_client):
    from datetime import timedelta

    from django.utils import timezone

    from terrain.public.registry import locator_facts

    consultation = questionnaire(world)
    site = world.section.site
    with translation.override("fr"):
        assert locator_facts([site], keys=["consultations"]) == {
            site.pk: ["Consultation ouverte : Conditions de travail"]
        }
    later, past = timezone.now() + timedelta(days=2), timezone.now() - timedelta(minutes=1)
    for changes in ({"opens_at": later}, {"closes_at": past}, {"invited_only": True}):
        Consultation.objects.filter(pk=consultation.pk).update(**changes)
        assert locator_facts([site], keys=["consultations"]) == {}, changes
        Consultation.objects.filter(pk=consultation.pk).update(opens_at=None, closes_at=None, invited_only=False)
    Consultation.objects.filter(pk=consultation.pk).update(opens_at=past, closes_at=later)
    assert set(locator_facts([site], keys=["consultations"])) == {site.pk}
    services.consultation_transition(consultation=consultation, to="closed", by=world.alice)
    assert locator_facts([site], keys=["consultations"]) == {}
    manage = alice_client.get(reverse("public_manage:edit", args=[world.section.code])).content.decode()
    assert reverse("consultations:manage", args=[world.section.code]) in manage


def test_a_consultation_not_open_yet_says_when(world, client):
    from datetime import timedelta

    from django.utils import timezone

    consultation = questionnaire(world)
    Consultation.objects.filter(pk=consultation.pk).update(opens_at=timezone.now() + timedelta(days=2))
    page = client.get(_url(consultation))
    assert "Cette consultation ouvre le" in page.content.decode()
    assert client.post(_url(consultation), answers(consultation)).status_code == 403
    assert not Response.objects.exists()


def test_the_form_page_reads_little(world, client, django_assert_max_num_queries):
    consultation = questionnaire(world)
    with django_assert_max_num_queries(12):
        assert client.get(_url(consultation)).status_code == 200


def test_invitation_answers_are_not_throttled(world, client, django_capture_on_commit_callbacks):
    from django.core import mail

    consultation = questionnaire(world, invited_only=True)
    emails = [f"p{i}@exemple.fr" for i in range(ANSWERS_PER_CLIENT + 3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(consultation=consultation, emails=emails, by=world.alice)
    for message in mail.outbox:
        link = next(w for w in message.body.split() if "/i/" in w).replace("http://testserver", "")
        assert client.post(link, answers(consultation)).status_code == 200
    assert Response.objects.count() == len(emails)


def test_with_the_page_cache_a_closed_site_is_gone_at_once(world, client, settings):
    settings.PUBLIC_PAGE_SERVER_SECONDS = 30
    consultation = questionnaire(world)
    assert client.get(_url(consultation)).status_code == 200
    site_unpublish(site=world.section.site, by=world.alice)
    assert client.get(_url(consultation)).status_code == 404


def test_a_consultation_for_invited_people_only_is_not_advertised(world, client):
    consultation = questionnaire(world, invited_only=True)
    home = client.get(reverse("public:home", args=["section-nord"])).content.decode()
    assert consultation.title not in home
    assert _url(consultation) not in client.get("/sitemap.xml").content.decode()
