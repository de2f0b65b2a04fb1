"""Demonstration library for the "hopital" section: a few folders and small real files.

Everything is made here (a PDF with WeasyPrint, an ODT with odfdo, a DOCX with python-docx, two
photos with Pillow), nothing is downloaded. One photo shows identifiable people without their
consent: the photothèque warns about it and it cannot leave the cooperative.
"""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from terrain.library.services import file_upload, folder_create, photo_update

MINUTES = (
    "Compte rendu de la réunion avec la direction du 12 mars. Présents : la direction des soins, "
    "les représentants du personnel. Points abordés : les plannings de nuit, les heures "
    "supplémentaires non payées, le remplacement des congés maternité. La direction s'engage à "
    "régulariser les heures supplémentaires sur la paie d'avril."
)
LEAFLET = "Jeudi, tous en salle du personnel à 13 h : nos salaires, nos plannings, nos conditions de travail."
AGENDA = [
    "Assemblée générale de la section — ordre du jour",
    "1. Bilan des négociations annuelles",
    "2. Élection du bureau",
    "3. Questions diverses",
]


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string=f"<html lang='fr'><body><h1>Réunion avec la direction</h1><p>{MINUTES}</p></body></html>"
    ).write_pdf()


def _odt() -> bytes:
    from odfdo import Document, Paragraph

    document = Document("text")
    document.body.append(Paragraph("Tract : mobilisation de jeudi"))
    document.body.append(Paragraph(LEAFLET))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in AGENDA:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _photo(colours: tuple, people: int) -> bytes:
    image = Image.new("RGB", (1200, 800), colours[0])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 800), fill=colours[1])
    for n in range(people):  # silhouettes
        x = 120 + n * 180
        draw.ellipse((x, 300, x + 80, 380), fill=(60, 40, 30))
        draw.rectangle((x - 10, 380, x + 90, 600), fill=(180, 30, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _upload(cooperative, folder, by, name: str, data: bytes):
    return file_upload(cooperative=cooperative, folder=folder, upload=SimpleUploadedFile(name, data), by=by)


def load(world) -> None:
    cooperative = world.structures["hopital"].cooperative
    animatrice = world.people["animatrice"]
    membre = world.people["membre"]
    meetings = folder_create(cooperative=cooperative, parent=None, name="Comptes rendus", by=animatrice)
    tracts = folder_create(cooperative=cooperative, parent=None, name="Tracts", by=animatrice)
    photos = folder_create(cooperative=cooperative, parent=None, name="Photos", by=animatrice)
    _upload(cooperative, meetings, animatrice, "Réunion direction du 12 mars.pdf", _pdf())
    _upload(cooperative, meetings, animatrice, "Ordre du jour AG.docx", _docx())
    _upload(cooperative, tracts, membre, "Tract mobilisation jeudi.odt", _odt())
    hall = _upload(cooperative, photos, membre, "Hall de l'hôpital.jpg", _photo(((170, 200, 230), (120, 120, 120)), 0))
    photo_update(
        file=hall,
        credit="Lucas Martin",
        taken_on=date(2026, 3, 2),
        place="Hôpital Nord",
        identifiable_people=False,
        consent="not_needed",
        by=membre,
    )
    rally = _upload(
        cooperative, photos, membre, "Rassemblement devant l'entrée.jpg", _photo(((200, 220, 240), (90, 90, 90)), 5)
    )
    photo_update(
        file=rally,
        credit="Lucas Martin",
        taken_on=date(2026, 3, 14),
        place="Entrée principale, Hôpital Nord",
        identifiable_people=True,
        consent="pending",
        by=membre,
    )
