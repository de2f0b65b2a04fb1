"""Demonstration join requests for the hospital section: a dozen, at every step of the pipeline.

They arrive through the same service as the public form (routed, announced to the
officials, history written), then are moved along by the section's officials; their
dates are spread over the last months so the figures page shows something.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from terrain.adhesions.models import Event, JoinRequest
from terrain.adhesions.services import (
    join_request_assign,
    join_request_erase,
    join_request_note,
    join_request_set_status,
    join_request_submit,
    officials_of,
)
from terrain.public.models import Site
from terrain.public.services import site_publish, site_save

# first name, last name, job, employer, postal code, days ago, steps, note
REQUESTS = [
    ("Inès", "Haddad", "Infirmière de nuit", "Hôpital Nord", "13015", 2, [], ""),
    ("Julien", "Moreau", "Brancardier", "Hôpital Nord", "13015", 5, [], ""),
    ("Samia", "Belkacem", "Aide-soignante", "Hôpital Nord", "13015", 9, ["contacted"], "Rappelée lundi, intéressée."),
    ("Thomas", "Girard", "Agent de service hospitalier", "Hôpital Nord", "13015", 16, ["contacted"], ""),
    (
        "Lucie",
        "Fabre",
        "Manipulatrice radio",
        "Hôpital Nord",
        "13015",
        24,
        ["contacted", "met"],
        "Vue à la permanence.",
    ),
    ("Karim", "Ziani", "Cuisinier", "Hôpital Nord", "13015", 38, ["contacted", "met", "member"], ""),
    ("Chloé", "Martin", "Secrétaire médicale", "Hôpital Nord", "13015", 45, ["contacted", "member"], ""),
    ("Yanis", "Roux", "Ambulancier", "Ambulances du Littoral", "13016", 52, ["contacted", "declined"], ""),
    ("Élodie", "Blanc", "Infirmière", "Hôpital Nord", "13015", 67, ["contacted", "met", "member"], ""),
    ("Hugo", "Lemoine", "Technicien biomédical", "Hôpital Nord", "13015", 80, ["lost"], ""),
    ("Fatou", "Diallo", "Aide-soignante", "Hôpital Nord", "13015", 96, ["contacted", "met", "member"], ""),
    ("Marc", "Petit", "Kinésithérapeute", "Hôpital Nord", "13015", 120, ["contacted", "member"], ""),
]


def _site(structure, by) -> Site:
    site = Site.objects.filter(structure=structure).first()
    if site is None:
        site = site_save(structure=structure, by=by, slug="hopital-nord")
    if not site.published:
        site = site_publish(site=site, by=by)
    return site


def load(world) -> None:
    structure = world.structures["hopital"]
    officials = officials_of(structure)
    if not officials or JoinRequest.objects.filter(structure=structure).exists():
        return
    official = officials[0]
    site = _site(structure, official)
    now = timezone.now()
    for first, last, job, employer, postal_code, days_ago, steps, note in REQUESTS:
        request = join_request_submit(
            site=site,
            values={
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}@exemple.fr".replace("é", "e").replace("è", "e"),
                "phone": "06 12 34 56 78" if days_ago % 2 else "",
                "employer": employer,
                "workplace_postal_code": postal_code,
                "job": job,
                "message": "Je voudrais savoir comment adhérer et combien coûte la cotisation.",
                "preferred_contact": "phone" if days_ago % 2 else "email",
            },
        )
        if steps:
            join_request_assign(join_request=request, assignee=official, by=official)
        for step in steps:
            join_request_set_status(join_request=request, status=step, by=official)
        if note:
            join_request_note(join_request=request, text=note, by=official)
        # Spread the story over the days since it arrived: first contact a day or two later.
        received = now - timedelta(days=days_ago)
        contact = received + timedelta(days=1 + days_ago % 3)
        JoinRequest.objects.filter(pk=request.pk).update(
            created_at=received,
            last_activity_at=contact if steps else received,
            first_contacted_at=contact if request.first_contacted_at else None,
            met_at=contact + timedelta(days=3) if request.met_at else None,
            member_at=contact + timedelta(days=7) if request.member_at else None,
        )
        Event.objects.filter(join_request=request).update(created_at=contact)
        Event.objects.filter(join_request=request, kind="received").update(created_at=received)
    # A visitor who asked to be forgotten: counted, nameless.
    forgotten = JoinRequest.objects.filter(structure=structure, last_name="Lemoine").first()
    if forgotten:
        join_request_erase(join_request=forgotten, by=official)
