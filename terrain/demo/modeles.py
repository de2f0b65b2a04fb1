"""Demonstration fill-in templates for the "hopital" section: a letter (DOCX), a tract (ODT) and a
meeting report written in the app. The documents are generated here (``modeles.samples``), nothing
is downloaded; then the animatrice labels the fields as she would after an upload."""

from __future__ import annotations

from terrain.modeles.documents import DOCX, ODT, WRITTEN
from terrain.modeles.fields import DATE, MULTILINE, Field
from terrain.modeles.samples import MEETING_REPORT_HTML, meeting_request_docx, strike_tract_odt
from terrain.modeles.services import template_create, template_update

# name, kind, description, source, content (a function), {field: (label, help, type, required)}
TEMPLATES = [
    (
        "Lettre de demande de réunion à l'employeur",
        "letter",
        "À envoyer à la direction pour obtenir une réunion avec les représentants du personnel.",
        DOCX,
        meeting_request_docx,
        {
            "nom_employeur": ("Nom de l'employeur ou du directeur", "Par exemple : Monsieur le Directeur", None, True),
            "entreprise": ("Nom de l'établissement", "Tel qu'il figure sur la fiche de paie", None, True),
            "objet_reunion": ("Objet de la réunion", "En quelques mots : « les plannings d'été »", None, True),
            "ordre_du_jour": ("Points à aborder", "Un point par ligne", MULTILINE, True),
            "telephone": ("Téléphone de contact", "", None, False),
        },
    ),
    (
        "Tract d'appel à la grève",
        "tract",
        "Une page à distribuer et à afficher : la date, les revendications, le rendez-vous.",
        ODT,
        strike_tract_odt,
        {
            "date_greve": ("Date de la grève", "", DATE, True),
            "revendications": ("Nos revendications", "Une par ligne, en mots simples", MULTILINE, True),
            "lieu_rendez_vous": ("Lieu du rendez-vous", "Par exemple : l'entrée principale de l'hôpital", None, True),
        },
    ),
    (
        "Modèle de compte rendu de réunion",
        "other",
        "Pour garder une trace de chaque réunion de section et la diffuser aux adhérents.",
        WRITTEN,
        lambda: MEETING_REPORT_HTML,
        {
            "presents": ("Personnes présentes", "Prénoms et noms, séparés par des virgules", MULTILINE, True),
            "ordre_du_jour": ("Ordre du jour", "Un point par ligne", MULTILINE, True),
            "decisions": ("Décisions prises", "", MULTILINE, True),
        },
    ),
]


def load(world) -> None:
    cooperative = world.cooperatives["hopital"]
    animatrice = world.people["animatrice"]
    for name, kind, description, source, content, labels in TEMPLATES:
        template = template_create(
            cooperative=cooperative,
            name=name,
            kind=kind,
            description=description,
            source=source,
            content=content(),
            by=animatrice,
        )
        fields = []
        for field in template.field_list:
            label, help_text, kind_of, required = labels.get(field.name, (field.label, "", None, True))
            fields.append(
                Field(name=field.name, label=label, help=help_text, type=kind_of or field.type, required=required)
            )
        template_update(template=template, name=name, kind=kind, description=description, fields=fields, by=animatrice)
    # The union départementale offers its meeting report to every syndicat and section below it:
    # their members fill it in from their own cooperative and find it in the search.
    ud, secretary = world.cooperatives.get("ud"), world.people.get("rachid")
    if ud is not None and secretary is not None:
        template_create(
            cooperative=ud,
            name="Compte rendu type de l’union départementale",
            kind="other",
            description="Proposé par l’union départementale à toutes les structures du département.",
            source=WRITTEN,
            content=MEETING_REPORT_HTML,
            by=secretary,
            offered_below=True,
        )
