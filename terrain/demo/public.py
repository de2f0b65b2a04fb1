"""Demonstration public sites: every demo structure has one, published, with a few news items.

The section of the hospital publishes its news through the workshop's "Our site" channel
(the connector, as a message sent there would), so the site shows what the channel makes.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from terrain.atelier.models import ConnectedAccount
from terrain.networks.base import AccountData, Content
from terrain.networks.registry import get_connector
from terrain.public.models import SitePost
from terrain.public.services import SITE_CHANNEL, site_publish, site_save

# structure key: slug, tagline, address, postal code, town, latitude, longitude, hours
SITES = {
    "ud": (
        "ud13",
        "Toutes les organisations des Bouches-du-Rhône, réunies pour agir ensemble.",
        "23 boulevard Charles Nédelec",
        "13003",
        "Marseille",
        43.3046,
        5.3790,
        "Du lundi au vendredi, 9 h – 12 h et 14 h – 18 h",
    ),
    "sante": (
        "sante-marseille",
        "Hôpitaux, cliniques, maisons de retraite, foyers et centres sociaux.",
        "23 boulevard Charles Nédelec",
        "13003",
        "Marseille",
        43.3048,
        5.3793,
        "Mardi et jeudi, 14 h – 18 h",
    ),
    "commerce": (
        "commerce-13",
        "Magasins, entrepôts, centres d'appels et services.",
        "12 rue d'Aubagne",
        "13001",
        "Marseille",
        43.2936,
        5.3823,
        "Mercredi, 10 h – 17 h",
    ),
    "hopital": (
        "hopital-nord",
        "Les syndiqués de l'hôpital, de jour comme de nuit.",
        "Chemin des Bourrely, local syndical (bâtiment B, rez-de-chaussée)",
        "13015",
        "Marseille",
        43.3793,
        5.3597,
        "Lundi et jeudi, 13 h – 15 h, et la nuit du mercredi sur rendez-vous",
    ),
    "ehpad": (
        "ehpad-oliviers",
        "Soignants, cuisine, entretien et animation de la maison de retraite.",
        "4 avenue des Oliviers",
        "13400",
        "Aubagne",
        43.2927,
        5.5708,
        "Le premier mardi du mois, 14 h – 16 h",
    ),
    "magasin": (
        "supermarche-calanques",
        "Caisse, rayons, réception et boulangerie.",
        "Zone commerciale Athélia",
        "13600",
        "La Ciotat",
        43.2010,
        5.6020,
        "Vendredi, 12 h – 14 h, en salle de pause",
    ),
}

ABOUT = (
    "Nous sommes les syndiqué·es de l'hôpital Nord-Littoral : soignant·es, agent·es, technicien·nes, "
    "de jour comme de nuit. Nous défendons les plannings, les salaires et les conditions de travail, "
    "et nous accompagnons chaque collègue qui en a besoin, syndiqué·e ou non."
)
JOIN = (
    "Adhérer, c'est ne plus être seul·e face à un planning injuste ou à un entretien disciplinaire. "
    "La cotisation est de 1 % du salaire net, dont 66 % sont déduits de l'impôt."
)
NEWS = [
    (
        "Heures supplémentaires : la direction s'engage",
        "Après notre pétition et deux rassemblements, la direction s'engage à payer les heures "
        "supplémentaires de nuit sur la paie d'avril. Nous vérifierons chaque fiche de paie avec vous.",
        4,
    ),
    (
        "Permanence de nuit",
        "Une permanence de nuit se tient chaque mercredi au local syndical : passez entre deux rondes.",
        12,
    ),
    (
        "Assemblée générale de la section",
        "Bilan des négociations annuelles et élection du bureau : toutes et tous les syndiqué·es sont invité·es.",
        20,
    ),
]


def load(world) -> None:
    officials = {key: structure.officials.select_related("user").first() for key, structure in world.structures.items()}
    for key, (slug, tagline, address, postal_code, commune, lat, lon, hours) in SITES.items():
        structure = world.structures[key]
        by = officials[key].user if officials[key] else None
        site = site_save(
            structure=structure,
            by=by,
            slug=slug,
            tagline=tagline,
            about=ABOUT if key == "hopital" else structure.description,
            join_text=JOIN,
            address=address,
            postal_code=postal_code,
            commune=commune,
            latitude=lat,
            longitude=lon,
            email=f"contact@{slug}.example",
            phone="04 91 00 00 00",
            hours=hours,
        )
        site_publish(site=site, by=by)
    site = world.structures["hopital"].site
    account = ConnectedAccount.objects.get(structure=site.structure, network=SITE_CHANNEL, remote_id=site.code)
    data = AccountData(api_base="", secrets={}, remote_id=account.remote_id)
    for n, (title, text, days_ago) in enumerate(NEWS):
        remote = get_connector(SITE_CHANNEL).publish(data, Content(text=text, title=title, marker=f"demo-site-{n}"))
        SitePost.objects.filter(code=remote.remote_id).update(published_at=timezone.now() - timedelta(days=days_ago))


def load_documents(world) -> None:
    """The hospital section puts its mobilisation tract on its site (after the library is filled)."""
    from terrain.library.models import File
    from terrain.public.documents import site_document_add

    site = world.structures["hopital"].site
    tract = File.objects.filter(cooperative=world.structures["hopital"].cooperative, name__startswith="Tract").first()
    if tract is not None:
        site_document_add(
            site=site,
            file=tract,
            by=world.people["animatrice"],
            title="Tract : mobilisation de jeudi",
            description="À imprimer et à distribuer dans les services.",
        )
