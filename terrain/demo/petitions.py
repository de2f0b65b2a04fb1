"""A demonstration petition on the hospital section's site, signed a few hundred times.

The signatures are written directly, already confirmed: a demonstration sends no
e-mail (the service would queue a confirmation for each). Their number is then set on
the petition, as the confirmations would have raised it.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from terrain.demo.names import FIRST_NAMES, LAST_NAMES
from terrain.petitions.models import Petition, Signature
from terrain.petitions.services import petition_move, petition_save
from terrain.public.models import Site
from terrain.public.services import site_publish, site_save

TITLE = "Des remplaçant·es pour chaque congé à l'hôpital Nord"
TEXT = (
    "Chaque été, chaque hiver, les congés des soignant·es ne sont pas remplacés : les équipes de nuit "
    "tournent à deux au lieu de trois, les heures supplémentaires s'accumulent et ne sont pas payées.\n\n"
    "Nous demandons à la direction de l'hôpital Nord-Littoral :\n"
    "– le remplacement de chaque congé de plus de trois jours ;\n"
    "– le paiement des heures supplémentaires sur la paie du mois suivant ;\n"
    "– des plannings affichés quatre semaines à l'avance.\n\n"
    "Patient·es, familles, collègues : signez et faites signer."
)
COMMENTS = [
    "Ma mère a passé une nuit aux urgences : l'équipe était à bout. Soutien total.",
    "Infirmière de nuit depuis douze ans, je n'ai jamais vu autant de postes vides.",
    "Des soignants reposés, ce sont des patients en sécurité.",
    "Je signe pour ma fille, aide-soignante dans le service de médecine.",
    "Nos heures supplémentaires ne sont pas un cadeau à la direction.",
    "Patient suivi depuis trois ans : merci à celles et ceux qui tiennent le service.",
    "Les plannings changés la veille, ça suffit.",
    "Solidarité de la part des collègues de l'EHPAD des Oliviers.",
    "Parce que l'hôpital public, c'est nous tous.",
    "Remplacer les congés, c'est la base.",
    "Kiné à l'hôpital Nord : on voit la fatigue tous les jours.",
    "Je signe et je partage dans mon quartier.",
]
SIGNATURES = 412
GOAL = 1000
POSTAL_CODES = ["13015", "13014", "13016", "13013", "13003", "13002", "13011", "13127", "13170", "13480"]


def _image() -> bytes:
    image = Image.new("RGB", (1200, 630), (29, 78, 137))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 630), fill=(240, 240, 240))
    for n in range(6):  # a line of people in front of the hospital
        x = 140 + n * 160
        draw.ellipse((x, 250, x + 70, 320), fill=(60, 40, 30))
        draw.rectangle((x - 10, 320, x + 80, 520), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _site(structure, by) -> Site:
    """The section's site (the public sites' demo makes it; made here if it did not)."""
    site = Site.objects.filter(structure=structure).first() or site_save(
        structure=structure, by=by, slug="hopital-nord"
    )
    return site if site.published else site_publish(site=site, by=by)


def load(world) -> None:
    structure = world.structures["hopital"]
    by = world.people["animatrice"]
    _site(structure, by)
    if Petition.objects.filter(structure=structure, title=TITLE).exists():
        return
    petition = petition_save(
        structure=structure,
        by=by,
        title=TITLE,
        text=TEXT,
        goal=GOAL,
        image=SimpleUploadedFile("remplacements.jpg", _image()),
        image_alt="Six soignant·es en blouse blanche devant l'hôpital Nord.",
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    petition = petition_move(petition=petition, to="open", by=by)
    rng = random.Random(17)
    now = timezone.now()
    opened = now - timedelta(days=12)
    Petition.objects.filter(pk=petition.pk).update(opened_at=opened)
    rows = []
    for n in range(SIGNATURES):
        signed_at = opened + (now - opened) * (n / SIGNATURES) + timedelta(minutes=rng.randint(0, 30))
        comment = COMMENTS[n // 30] if n % 30 == 5 and n // 30 < len(COMMENTS) else ""
        rows.append(
            Signature(
                petition=petition,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"signataire{n}@example.org",
                postal_code=rng.choice(POSTAL_CODES) if rng.random() < 0.8 else "",
                comment=comment,
                show_name=bool(comment) and n % 60 != 5,  # some comment without showing their name
                confirmation_sent_at=min(signed_at, now),
                confirmed_at=min(signed_at + timedelta(minutes=rng.randint(1, 90)), now),
            )
        )
    Signature.objects.bulk_create(rows, batch_size=500)
    Signature.objects.filter(petition=petition).update(created_at=opened)  # auto_now_add ignored the dates
    # A few still waiting for their confirmation: they do not count.
    Signature.objects.bulk_create(
        Signature(petition=petition, first_name="En", last_name="Attente", email=f"attente{n}@example.org")
        for n in range(7)
    )
    Petition.objects.filter(pk=petition.pk).update(signature_count=SIGNATURES)
