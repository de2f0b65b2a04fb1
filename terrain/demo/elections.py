"""Demonstration elections kit: the hospital section's "Élections CSE 2027", in about 40 days.

Two colleges, one list compliant and one not (so the parity check shows both answers), the
first steps done, two tracts of the tractothèque for the campaign, published on the section's
site with the names shown (the demo candidates are invented).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from terrain.cooperatives.access import CooperativeAccess
from terrain.elections.models import Election
from terrain.elections.services import (
    candidates_replace,
    college_save,
    election_create,
    election_move,
    election_tracts_set,
    election_update,
)
from terrain.public.models import Site
from terrain.public.services import site_publish, site_save
from terrain.tracts.selectors import tracts_in

TITLE = "Élections CSE 2027"
HOW_TO_VOTE = (
    "Bureau de vote au self du bâtiment A, de 6 h 30 à 21 h 30, pour les équipes de jour comme de nuit. "
    "Le vote par correspondance est possible pour les collègues en congé : demandez le matériel à la DRH."
)
# College, seats, women and men in its electorate, candidates from the top (name, sex, job).
COLLEGES = [
    (
        "Ouvriers et employés",
        5,
        312,
        208,  # 60 % / 40 %: 3 women and 2 men, alternating: compliant
        [
            ("Sandrine Lopez", "F", "Aide-soignante"),
            ("Karim Haddad", "M", "Brancardier"),
            ("Julie Moreau", "F", "Agente de service hospitalier"),
            ("Thomas Bernard", "M", "Cuisinier"),
            ("Fatou Diallo", "F", "Aide-soignante de nuit"),
        ],
    ),
    (
        "Techniciens, agents de maîtrise et cadres",
        4,
        184,
        16,  # 92 % / 8 %: 4 women, or 3 and 1 man, never at the top; this list has 2 men
        [
            ("Nadia Benali", "F", "Infirmière de bloc"),
            ("Marc Vidal", "M", "Technicien biomédical"),
            ("Claire Fontaine", "F", "Cadre de santé"),
            ("Olivier Garnier", "M", "Infirmier anesthésiste"),
        ],
    ),
]
DONE = ("staff_information", "union_invitation", "first_meeting")


def load(world) -> None:
    structure = world.structures["hopital"]
    if Election.objects.filter(structure=structure, title=TITLE).exists():
        return
    official = structure.officials.select_related("user").first()
    by = official.user if official else None
    site = Site.objects.filter(structure=structure).first()
    if site is None:
        site = site_save(structure=structure, by=by, slug="hopital-nord")
    if not site.published:
        site_publish(site=site, by=by)

    today = timezone.localdate()
    election = election_create(
        structure=structure,
        by=by,
        title=TITLE,
        employer="Hôpital Nord-Littoral",
        vote_date=today + timedelta(days=40),
        mode=Election.Mode.IN_PERSON,
        how_to_vote=HOW_TO_VOTE,
    )
    for name, seats, women, men, candidates in COLLEGES:
        college = college_save(
            election=election, by=by, name=name, seats=seats, electorate_women=women, electorate_men=men
        )
        candidates_replace(
            college=college,
            by=by,
            candidates=[{"name": n, "gender": g, "job": j} for n, g, j in candidates],
        )
    for step in election.steps.filter(kind__in=DONE):
        step.done = True
        step.save(update_fields=["done"])
    cooperative = getattr(structure, "cooperative", None)
    if cooperative is not None:
        tracts = list(tracts_in(CooperativeAccess(cooperative=cooperative, membership=None))[:2])
        election_tracts_set(election=election, by=by, tracts=tracts)
    election_update(election=election, by=by, show_names=True)
    election_move(election=election, status=Election.Status.PUBLISHED, by=by)
