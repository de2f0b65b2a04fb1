"""Demonstration tractothèque: the union department offers two tracts to its unions and sections.

The PDFs are made here with WeasyPrint (nothing is downloaded). The first tract is accepted by
the health union and the hospital section (downloaded and reused there), declined by the shop
section; the second waits for a decision everywhere. The hospital section has one tract of its
own, a poster made with Pillow.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from terrain.library.services import file_upload
from terrain.tracts.models import TractOffer
from terrain.tracts.services import (
    tract_create,
    tract_download_record,
    tract_offer_decide,
    tract_publish,
    tract_reuse_record,
)

UD_TRACTS = [
    {
        "file": "greve-salaires.pdf",
        "title": "Le 12 mars, toutes et tous en grève pour les salaires",
        "description": "Les prix montent, nos salaires non. Rassemblement à 10 h devant la préfecture.",
        "themes": ["Salaires", "Grève et mobilisation"],
        "days_ago": 6,
        "heading": "Le 12 mars, on s'arrête !",
        "body": [
            "Les prix ont augmenté de 12 % en trois ans. Nos salaires, presque pas.",
            "Dans la santé, le commerce, l'aide à domicile : partout, le même constat.",
            "Rassemblement à 10 h devant la préfecture, cortège jusqu'au Vieux-Port.",
        ],
    },
    {
        "file": "chaleur-au-travail.pdf",
        "title": "Fortes chaleurs : vos droits au travail",
        "description": "Eau fraîche, pauses, horaires aménagés : ce que l'employeur doit faire quand il fait chaud.",
        "themes": ["Santé au travail", "Conditions de travail"],
        "days_ago": 2,
        "heading": "Il fait chaud : l'employeur doit agir",
        "body": [
            "Trois litres d'eau fraîche par personne et par jour, au moins.",
            "Des pauses plus fréquentes, dans un endroit frais.",
            "Des horaires décalés quand c'est possible. Parlez-en à vos délégués.",
        ],
    },
]


def _pdf(heading: str, lines: list[str], signature: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
      @page {{ size: A5; margin: 14mm; }}
      body {{ font-family: sans-serif; color: #1d1d1f; }}
      h1 {{ background: #b3122e; color: #fff; padding: 8mm 6mm; font-size: 22pt; margin: 0 0 8mm; }}
      p {{ font-size: 13pt; line-height: 1.4; }}
      footer {{ margin-top: 12mm; font-weight: bold; color: #b3122e; }}
    </style></head><body><h1>{heading}</h1>{paragraphs}<footer>{signature}</footer></body></html>"""
    return HTML(string=html).write_pdf()


def _poster() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int):
        # Accented letters need a real font; Debian's DejaVu when present (pango pulls it in).
        try:
            return ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", size)
        except OSError:
            return ImageFont.load_default(size)

    image = Image.new("RGB", (600, 840), "#fbe9ec")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 600, 220), fill="#b3122e")
    draw.text((40, 80), "CANTINE DE NUIT", fill="white", font=font(50))
    for i, line in enumerate(["Un repas chaud pour", "les équipes de nuit :", "signez la pétition !"]):
        draw.text((40, 300 + i * 70), line, fill="#1d1d1f", font=font(38))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(world) -> None:
    ud = world.structures["ud"].cooperative
    author = world.people["rachid"]
    today = timezone.localdate()
    tracts = []
    for spec in UD_TRACTS:
        content = _pdf(spec["heading"], spec["body"], ud.name)
        upload = SimpleUploadedFile(spec["file"], content, content_type="application/pdf")
        file = file_upload(cooperative=ud, folder=None, upload=upload, by=author, record=False)
        tract = tract_create(
            cooperative=ud,
            file=file,
            title=spec["title"],
            description=spec["description"],
            date=today - timedelta(days=spec["days_ago"]),
            themes=spec["themes"],
            by=author,
        )
        tract_publish(tract=tract, by=author)
        tracts.append(tract)

    first = tracts[0]
    offers = {
        o.cooperative.structure_id: o for o in TractOffer.objects.filter(tract=first).select_related("cooperative")
    }
    for key, person, accept in (
        ("sante", "mamadou", True),
        ("hopital", "animatrice", True),
        ("magasin", "leila", False),
    ):
        tract_offer_decide(offer=offers[world.structures[key].pk], accept=accept, by=world.people[person])
    hopital = world.structures["hopital"].cooperative
    sante = world.structures["sante"].cooperative
    for person in ("membre", "sophie", "karim"):
        tract_download_record(tract=first, cooperative=hopital, by=world.people[person])
    tract_download_record(tract=first, cooperative=sante, by=world.people["helene"])
    tract_download_record(tract=first, cooperative=ud, by=world.people["sylvie"])
    for person, kind in (("membre", "distributed"), ("sophie", "distributed"), ("linh", "displayed")):
        tract_reuse_record(tract=first, cooperative=hopital, kind=kind, by=world.people[person])
    tract_reuse_record(tract=first, cooperative=sante, kind="published", by=world.people["mamadou"])

    # The hospital section's own tract: a poster.
    poster = file_upload(
        cooperative=hopital,
        folder=None,
        upload=SimpleUploadedFile("cantine-de-nuit.png", _poster(), content_type="image/png"),
        by=world.people["animatrice"],
        record=False,
    )
    tract_create(
        cooperative=hopital,
        file=poster,
        title="Un repas chaud pour les équipes de nuit",
        description="L'affiche de la pétition pour rouvrir la cantine la nuit.",
        date=date(today.year, today.month, 1),
        themes=["Conditions de travail", "cantine"],
        by=world.people["animatrice"],
    )
