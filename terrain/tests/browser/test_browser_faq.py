"""The FAQ in a browser: a member reads and proposes on a phone, a facilitator writes with the rich
editor and answers on a laptop; every page checked by axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.faq.models import Entry, Proposal
from terrain.faq.services import entry_offer, faq_entry_create, theme_create
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.browser.axe import ALL_IMPACTS, axe_check
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _faq(world):
    theme = theme_create(cooperative=world.private_coop, name="Adhésion et cotisations", by=world.alice)
    faq_entry_create(
        cooperative=world.private_coop,
        theme=theme,
        question="Combien coûte l’adhésion ?",
        answer_html="<div>La cotisation vaut <strong>1 % du salaire net</strong>.</div>",
        by=world.alice,
    )
    dora = make_user("Dora Lemaire")
    official_add(structure=world.ud, user=dora, role=OfficialRole.SECRETAIRE)
    world.ud.refresh_from_db()
    ud_theme = theme_create(cooperative=world.ud.cooperative, name="Droit du travail", by=dora)
    offered = faq_entry_create(
        cooperative=world.ud.cooperative,
        theme=ud_theme,
        question="Qu’est-ce qu’une heure de délégation ?",
        answer_html="<div>Du temps payé pour le mandat.</div>",
        by=dora,
    )
    entry_offer(entry=offered, offered=True, by=dora)
    return theme


def test_member_reads_and_proposes_on_a_phone(world, live_server, phone):
    _faq(world)
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + reverse("faq:home", args=[world.private_coop.code]))
    answer = page.get_by_text("1 % du salaire net")
    assert not answer.is_visible()
    page.get_by_text("Combien coûte l’adhésion ?").click()
    assert answer.is_visible()
    assert page.get_by_role("heading", name="FAQ de Union départementale du Rhône").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Proposer une question").click()
    # Blank (the browser's own check lets spaces through): refused next to the field, in French.
    page.get_by_label("Votre question").fill("   ")
    page.get_by_label("Contexte (facultatif)").fill("Je suis en CDD.")
    page.get_by_role("button", name="Envoyer ma question").click()
    page.get_by_text("Écrivez votre question.").wait_for()
    assert page.get_by_label("Contexte (facultatif)").input_value() == "Je suis en CDD."
    page.get_by_label("Votre question").fill("Les jours de fractionnement s’appliquent-ils aux CDD ?")
    page.get_by_role("button", name="Envoyer ma question").click()
    page.get_by_text("Merci ! Les animateur·rices vont répondre à votre question.").wait_for()
    assert Proposal.objects.filter(proposed_by=world.bob, status="pending").count() == 1


def test_facilitator_writes_and_answers_on_a_laptop(world, live_server, laptop):
    _faq(world)
    Proposal.objects.create(cooperative=world.private_coop, question="Prime de nuit ?", proposed_by=world.bob)
    page = signed_in(laptop, live_server, world.alice)
    page.goto(live_server.url + reverse("faq:home", args=[world.private_coop.code]))
    page.get_by_role("link", name="Ajouter une question", exact=True).click()
    page.get_by_role("textbox", name="Question", exact=True).fill("Puis-je adhérer en CDD ?")
    page.locator("trix-editor").click()
    page.keyboard.type("Oui, dès le premier jour.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Puis-je adhérer en CDD ?").wait_for()
    assert "dès le premier jour" in Entry.objects.get(question="Puis-je adhérer en CDD ?").answer_html

    page.goto(live_server.url + reverse("faq:home", args=[world.private_coop.code]))
    page.get_by_role("link", name="1 question proposée attend une réponse").click()
    page.get_by_role("link", name="Prime de nuit ?").click()
    page.locator("trix-editor").click()
    page.keyboard.type("Tout agent de nuit y a droit.")
    page.get_by_role("button", name="Publier la réponse").click()
    page.get_by_role("heading", name="Prime de nuit ?").wait_for()
    assert Proposal.objects.get(question="Prime de nuit ?").status == "answered"

    page.goto(live_server.url + reverse("faq:themes", args=[world.private_coop.code]))
    page.get_by_role("button", name="Masquer : Qu’est-ce qu’une heure de délégation ?").click()
    page.get_by_text("Cette question est masquée de la FAQ de cette coopérative.").wait_for()


def test_faq_pages_pass_axe_at_every_impact(world, live_server, browser):
    theme = _faq(world)
    proposal = Proposal.objects.create(
        cooperative=world.private_coop, question="Prime de nuit ?", proposed_by=world.bob
    )
    entry = Entry.objects.get(theme=theme)
    code = world.private_coop.code
    pages = {
        world.alice: [
            reverse("faq:home", args=[code]),
            reverse("faq:entry", args=[code, entry.code]),
            reverse("faq:entry_edit", args=[entry.code]),
            reverse("faq:entry_create", args=[code]),
            reverse("faq:themes", args=[code]),
            reverse("faq:proposals", args=[code]),
            reverse("faq:proposal_answer", args=[proposal.code]),
        ],
        world.bob: [reverse("faq:home", args=[code]), reverse("faq:proposal_create", args=[code])],
    }
    problems = []
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
        for user, paths in pages.items():
            page = signed_in(context, live_server, user)
            for path in paths:
                page.goto(live_server.url + path)
                problems += [f"{width}px {path}: {v}" for v in axe_check(page, impacts=ALL_IMPACTS)]
            page.close()
        context.close()
    assert not problems, "\n".join(problems)
