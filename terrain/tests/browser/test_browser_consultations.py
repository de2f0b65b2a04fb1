"""Consultations in a browser: an employee answers on a phone (conditional question shown only when
it applies, a missing answer explained, what was typed kept), an official reads the results on a
laptop and on a phone; every page checked by axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.consultations.models import Answer, Response
from terrain.consultations.tests.helpers import questionnaire
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_answers_on_a_phone(world, live_server, phone):
    consultation = questionnaire(world)
    page = phone.new_page()
    page.goto(live_server.url + reverse("consultations_public:answer", args=["section-nord", consultation.code]))
    page.get_by_text("Cette consultation est anonyme.").wait_for()
    which = page.get_by_role("group", name="2. Lesquelles ?")
    assert not which.is_visible()  # asked only after "Oui"
    assert not page.get_by_text("Répondez seulement si").is_visible()
    page.get_by_label("Autre chose ?").fill("Les plannings changent la veille.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    # The required first question was left out: the form comes back, in French, with the text kept.
    page.get_by_text("Répondez à cette question.").wait_for()
    assert page.get_by_label("Autre chose ?").input_value() == "Les plannings changent la veille."
    page.get_by_label("Oui").check()
    assert which.is_visible()
    which.get_by_label("Nuit").check()
    page.get_by_role("group", name="3. Votre charge de travail").get_by_label("4").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses sont enregistrées.").wait_for()
    assert Response.objects.count() == 1
    assert Answer.objects.filter(text="Les plannings changent la veille.").exists()


def test_without_javascript_every_question_shows_with_its_note(world, live_server, browser):
    consultation = questionnaire(world)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + reverse("consultations_public:answer", args=["section-nord", consultation.code]))
    assert page.get_by_role("group", name="2. Lesquelles ?").is_visible()
    assert page.get_by_text("Répondez seulement si vous avez choisi « Oui » à la question 1.").is_visible()
    page.get_by_label("Non").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses sont enregistrées.").wait_for()
    context.close()


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_an_official_reads_the_results(world, live_server, screen, request):
    from django.test import Client

    consultation = questionnaire(world)
    url = reverse("consultations_public:answer", args=["section-nord", consultation.code])
    questions = list(consultation.questions.order_by("position"))
    for n, (first, scale) in enumerate([("Oui", "4"), ("Oui", "5"), ("Non", "2")]):
        Client().post(
            url,
            {
                f"q-{questions[0].code}": questions[0].options.get(label=first).code,
                f"q-{questions[1].code}": questions[1].options.get(label="Nuit").code,
                f"q-{questions[2].code}": scale,
                f"q-{questions[3].code}": f"Remarque {n}",
            },
            REMOTE_ADDR=f"10.2.0.{n}",
        )
    context = request.getfixturevalue(screen)
    page = signed_in(context, live_server, world.alice)
    page.goto(live_server.url + reverse("consultations:edit", args=[consultation.code]))
    page.get_by_role("heading", name="Questions").wait_for()
    page.get_by_role("link", name="Résultats").click()
    page.get_by_role("heading", name="3 réponses").wait_for()
    assert page.get_by_role("cell", name="67 %").first.is_visible()
    assert page.get_by_text("Remarque 2").is_visible()
    if screen == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Partager les résultats dans une coopérative").select_option(label=world.open_coop.name)
    page.get_by_role("button", name="Publier les résultats").click()
    page.get_by_text("Les résultats sont publiés").wait_for()
