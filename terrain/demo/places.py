"""Demonstration data for the locator: published sites in several towns, so that
``/trouver/?q=69003`` (Lyon) lists structures nearby, as ``?q=13001`` does with the
Marseille union's sites (``terrain/demo/public.py``).

A federation of health and social work, with unions in Lyon, Villeurbanne, Saint-Étienne,
Grenoble and Paris, shows the filter by sector. Positions are given (near the town halls),
so the demo does not depend on the communes being loaded first.
"""

from __future__ import annotations

from terrain.public.services import site_publish, site_save
from terrain.structures.models import StructureKind
from terrain.structures.services import structure_create

FEDERATION = "Fédération santé et action sociale"
# name, slug, address, postal code, town, latitude, longitude, e-mail, phone, hours
SITES = [
    ("Syndicat santé de Lyon", "sante-lyon", "40 rue Garibaldi", "69003", "Lyon", 45.7603, 4.8490,
     "sante-lyon@example.org", "04 78 00 00 03", "Lundi et mercredi, 14 h – 18 h"),
    ("Syndicat santé de Villeurbanne", "sante-villeurbanne", "5 place Lazare-Goujon", "69100", "Villeurbanne",
     45.7663, 4.8797, "sante-villeurbanne@example.org", "04 78 00 01 00", "Jeudi, 17 h – 19 h"),
    ("Syndicat santé de Saint-Étienne", "sante-saint-etienne", "8 rue Balay", "42000", "Saint-Étienne",
     45.4396, 4.3875, "sante-42@example.org", "04 77 00 00 00", "Mercredi, 14 h – 17 h"),
    ("Syndicat santé de Grenoble", "sante-grenoble", "32 avenue de l'Europe", "38100", "Grenoble", 45.1866,
     5.7363, "sante-38@example.org", "04 76 00 00 00", "Vendredi, 10 h – 12 h"),
    ("Syndicat santé de Paris", "sante-paris", "12 rue Oberkampf", "75011", "Paris", 48.8585, 2.3795,
     "sante-75@example.org", "01 40 00 00 11", "Du lundi au jeudi, 10 h – 17 h"),
]  # fmt: skip


def load(world) -> None:
    by = world.people["admin"]
    federation = structure_create(
        kind=StructureKind.FEDERATION,
        name=FEDERATION,
        description="Les syndicats des hôpitaux, cliniques et établissements sociaux.",
    )
    for name, slug, address, postal_code, commune, latitude, longitude, email, phone, hours in SITES:
        structure = structure_create(
            kind=StructureKind.SYNDICAT, name=name, parent=federation, departement=postal_code[:2], commune=commune
        )
        site = site_save(
            structure=structure,
            by=by,
            slug=slug,
            tagline=f"{structure.name} : nous écouter, vous défendre.",
            address=address,
            postal_code=postal_code,
            commune=commune,
            latitude=latitude,
            longitude=longitude,
            email=email,
            phone=phone,
            hours=hours,
        )
        site_publish(site=site, by=by)
