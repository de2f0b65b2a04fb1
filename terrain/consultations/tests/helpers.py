"""Shared makers for the consultations' tests."""

from __future__ import annotations

from terrain.consultations import services
from terrain.consultations.models import Consultation, Question
from terrain.public.services import site_publish, site_save


def published_site(world):
    site = site_save(structure=world.section, by=world.alice, slug="section-nord")
    return site_publish(site=site, by=world.alice)


def questionnaire(world, *, mode=Consultation.Mode.ANONYMOUS, open_it=True, **extra) -> Consultation:
    """Four questions: a required single choice, a multiple choice (at most 2) shown only if
    "Oui" was chosen, a scale 1..5, a free text."""
    site = getattr(world.section, "site", None) or published_site(world)
    assert site.published
    consultation = services.consultation_create(
        structure=world.section, by=world.alice, title="Conditions de travail", mode=mode, **extra
    )
    services.question_save(
        consultation=consultation,
        by=world.alice,
        kind=Question.Kind.SINGLE,
        text="Faites-vous des heures supplémentaires ?",
        required=True,
        options=["Oui", "Non"],
    )
    first = consultation.questions.get()
    yes = first.options.get(label="Oui")
    services.question_save(
        consultation=consultation,
        by=world.alice,
        kind=Question.Kind.MULTIPLE,
        text="Lesquelles ?",
        options=["Nuit", "Week-end", "Jours fériés"],
        max_choices=2,
        condition=yes,
        required=True,
    )
    services.question_save(
        consultation=consultation,
        by=world.alice,
        kind=Question.Kind.SCALE,
        text="Votre charge de travail",
        scale_max=5,
        scale_low_label="légère",
        scale_high_label="écrasante",
    )
    services.question_save(consultation=consultation, by=world.alice, kind=Question.Kind.LONG, text="Autre chose ?")
    if open_it:
        consultation = services.consultation_transition(consultation=consultation, to="open", by=world.alice)
    return consultation


def answers(consultation, *, first="Oui", which=("Nuit",), scale=4, text="Trop de rappels sur les repos") -> dict:
    """POST data answering ``questionnaire``."""
    questions = list(consultation.questions.order_by("position"))
    data: dict = {f"q-{questions[0].code}": questions[0].options.get(label=first).code}
    data[f"q-{questions[1].code}"] = [questions[1].options.get(label=label).code for label in which]
    if scale is not None:
        data[f"q-{questions[2].code}"] = str(scale)
    data[f"q-{questions[3].code}"] = text
    return data
