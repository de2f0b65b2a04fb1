"""Demonstration consultations of the "hopital" section, on its public site.

An open anonymous one, "Conditions de travail 2027", with about sixty answers (conditions,
scale, texts), and a closed named one with its results.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from terrain.consultations import services
from terrain.consultations.models import Consultation, Question, Response
from terrain.public.models import Site
from terrain.public.services import site_publish, site_save

OPEN_TITLE = "Conditions de travail 2027"
CLOSED_TITLE = "Organisation des plannings d'été"
TEXTS = [
    "Les rappels sur les jours de repos sont devenus la règle.",
    "Il manque au moins deux postes de nuit en chirurgie.",
    "On n'a pas le temps de faire les transmissions correctement.",
    "Les pauses sautent une fois sur deux.",
    "Le matériel de manutention est souvent en panne.",
    "Plus de formation pour les nouveaux arrivants.",
    "",
    "",
]


def _site(structure, by) -> Site:
    site = Site.objects.filter(structure=structure).first()
    if site is None:
        site = site_save(
            structure=structure,
            by=by,
            tagline="Le syndicat des hospitaliers de Nord-Littoral",
            commune="Marseille",
            postal_code="13015",
        )
    if not site.published:
        site = site_publish(site=site, by=by)
    return site


def _question(consultation, by, kind, text, **extra) -> Question:
    return services.question_save(consultation=consultation, by=by, kind=kind, text=text, **extra)


def _working_conditions(structure, by, rng: random.Random) -> None:
    consultation = services.consultation_create(
        structure=structure,
        by=by,
        title=OPEN_TITLE,
        introduction=(
            "Avant les négociations annuelles, dites-nous comment vous travaillez. "
            "Cinq minutes, anonyme : personne ne peut savoir qui a répondu quoi."
        ),
        mode=Consultation.Mode.ANONYMOUS,
        closes_at=timezone.now() + timedelta(days=21),
    )
    service = _question(
        consultation,
        by,
        Question.Kind.SINGLE,
        "Dans quel service travaillez-vous ?",
        required=True,
        options=["Urgences", "Chirurgie", "Médecine", "Administratif et technique"],
    )
    extra = _question(
        consultation,
        by,
        Question.Kind.SINGLE,
        "Faites-vous des heures supplémentaires ?",
        required=True,
        options=["Oui, souvent", "Parfois", "Jamais"],
    )
    often = extra.options.get(position=0)
    paid = _question(
        consultation,
        by,
        Question.Kind.SINGLE,
        "Sont-elles payées ou récupérées ?",
        condition=often,
        options=["Payées", "Récupérées", "Ni l'un ni l'autre"],
    )
    worries = _question(
        consultation,
        by,
        Question.Kind.MULTIPLE,
        "Qu'est-ce qui pèse le plus ?",
        max_choices=2,
        options=["Les effectifs", "Les plannings", "Les salaires", "Le matériel", "L'ambiance"],
    )
    load = _question(
        consultation,
        by,
        Question.Kind.SCALE,
        "Comment jugez-vous votre charge de travail ?",
        scale_max=5,
        scale_low_label="supportable",
        scale_high_label="intenable",
    )
    free = _question(consultation, by, Question.Kind.LONG, "Autre chose à nous dire ?")
    consultation = services.consultation_transition(consultation=consultation, to="open", by=by)
    for _ in range(60):
        answer_of_extra = rng.choices(list(extra.options.all()), weights=[5, 3, 1])[0]
        data = {
            f"q-{service.code}": rng.choice(list(service.options.all())).code,
            f"q-{extra.code}": answer_of_extra.code,
            f"q-{worries.code}": [o.code for o in rng.sample(list(worries.options.all()), rng.randint(1, 2))],
            f"q-{load.code}": str(rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 6, 4])[0]),
            f"q-{free.code}": rng.choice(TEXTS),
        }
        if answer_of_extra.pk == often.pk:
            data[f"q-{paid.code}"] = rng.choices(list(paid.options.all()), weights=[2, 3, 4])[0].code
        response = services.response_submit(consultation=consultation, data=data)
        Response.objects.filter(pk=response.pk).update(day=timezone.localdate() - timedelta(days=rng.randint(0, 9)))


def _summer(structure, by, rng: random.Random) -> None:
    consultation = services.consultation_create(
        structure=structure,
        by=by,
        title=CLOSED_TITLE,
        introduction="Pour préparer la réunion avec la direction sur les congés d'été.",
        mode=Consultation.Mode.NAMED,
    )
    weeks = _question(
        consultation,
        by,
        Question.Kind.SINGLE,
        "Combien de semaines consécutives souhaitez-vous ?",
        required=True,
        options=["Deux", "Trois", "Quatre"],
    )
    _question(consultation, by, Question.Kind.SHORT, "Une contrainte à signaler ?")
    consultation = services.consultation_transition(consultation=consultation, to="open", by=by)
    for n in range(18):
        services.response_submit(
            consultation=consultation,
            data={
                "name": f"Agent {n + 1}",
                "email": f"agent{n + 1}@hopital-nord.example",
                f"q-{weeks.code}": rng.choice(list(weeks.options.all())).code,
            },
        )
    services.consultation_transition(consultation=consultation, to="closed", by=by)


def load(world) -> None:
    structure = world.structures["hopital"]
    official = world.people["animatrice"]
    _site(structure, official)
    rng = random.Random(2027)
    titles = set(Consultation.objects.filter(structure=structure).values_list("title", flat=True))
    if OPEN_TITLE not in titles:
        _working_conditions(structure, official, rng)
    if CLOSED_TITLE not in titles:
        _summer(structure, official, rng)
