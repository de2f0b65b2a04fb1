"""Example models, generated (python-docx, odfdo): the demo's templates and the tests' documents.

Some fields are cut across formatting runs on purpose, as Word and LibreOffice cut them when a
part of a field is retyped or formatted: the filling must find them anyway.
"""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree
from odfdo import Document as OdtDocument
from odfdo import Header, Paragraph, Style

from terrain.modeles.odt_files import TEXT_NS


def meeting_request_docx() -> bytes:
    """ "Lettre de demande de réunion à l'employeur": a DOCX with a header, a table and a split field."""
    document = DocxDocument()
    document.sections[0].header.paragraphs[0].text = "{{ nom_section }} — {{ adresse_section }}"
    right = document.add_paragraph("{{ nom_employeur }}\n{{ adresse_employeur }}")
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ ville }}, le {{ date_courrier }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    subject = document.add_paragraph()
    subject.add_run("Objet : ").bold = True
    subject.add_run("demande de réunion — ")
    # A field cut in three runs, the middle one in italics, as Word does after a correction.
    subject.add_run("{{ ob")
    subject.add_run("jet_re").italic = True
    subject.add_run("union }}")
    document.add_paragraph("Madame, Monsieur,")
    body = document.add_paragraph("Au nom de la section syndicale {{ nom_section }} de l'entreprise ")
    body.add_run("{{ entreprise }}").bold = True
    body.add_run(
        ", nous vous demandons l'organisation d'une réunion avec les représentants du personnel "
        "dans les meilleurs délais, et au plus tard le {{ date_souhaitee }}."
    )
    document.add_paragraph("Nous souhaitons aborder les points suivants :")
    document.add_paragraph("{{ ordre_du_jour }}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Contact"
    table.cell(0, 1).text = "{{ contact }}"
    table.cell(1, 0).text = "Téléphone"
    table.cell(1, 1).text = "{{ telephone }}"
    document.add_paragraph(
        "Dans l'attente de votre réponse, veuillez agréer, Madame, Monsieur, "
        "l'expression de nos salutations distinguées."
    )
    document.add_paragraph("Pour la section, {{ signataire }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def strike_tract_odt() -> bytes:
    """ "Tract d'appel à la grève": an ODT with headings, a bold style and a field cut by a span."""
    document = OdtDocument("text")
    body = document.body
    body.clear()
    document.insert_style(Style("text", name="Fort", bold=True, area="text"), automatic=True)
    document.insert_style(
        Style("paragraph", name="Centre", area="paragraph", **{"fo:text-align": "center"}), automatic=True
    )
    body.append(Header(1, "Toutes et tous en grève le {{ date_greve }} !"))
    intro = Paragraph("", style="Centre")
    xml = intro._xml_element
    xml.text = "Salariées et salariés de {{ entre"
    span = etree.SubElement(xml, f"{{{TEXT_NS}}}span")
    span.set(f"{{{TEXT_NS}}}style-name", "Fort")
    span.text = "pri"
    span.tail = "se }}, la section {{ nom_section }} vous appelle à la grève."
    body.append(intro)
    body.append(Header(2, "Nos revendications"))
    body.append(Paragraph("{{ revendications }}"))
    body.append(Header(2, "Rendez-vous"))
    where = Paragraph("")
    where_xml = where._xml_element
    bold = etree.SubElement(where_xml, f"{{{TEXT_NS}}}span")
    bold.set(f"{{{TEXT_NS}}}style-name", "Fort")
    bold.text = "{{ heure_rendez_vous }}"
    bold.tail = " devant {{ lieu_rendez_vous }}."
    body.append(where)
    body.append(Paragraph("Contact : {{ contact }}"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


MEETING_REPORT_HTML = (
    "<h1>Compte rendu de réunion — {{ nom_section }}</h1>"
    "<div><strong>Date :</strong> {{ date_reunion }}<br><strong>Lieu :</strong> {{ lieu }}<br>"
    "<strong>Présents :</strong> {{ presents }}</div>"
    "<h1>Ordre du jour</h1><div>{{ ordre_du_jour }}</div>"
    "<h1>Décisions</h1><div>{{ decisions }}</div>"
    "<ul><li>Prochaine réunion : {{ date_prochaine_reunion }}</li><li>Compte rendu rédigé par {{ redacteur }}</li></ul>"
)
