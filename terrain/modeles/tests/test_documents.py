"""The document formats: fields found, refused, filled (even cut across runs), values never evaluated."""

from __future__ import annotations

import io
import zipfile

import pytest

from terrain.modeles import docx_files, odt_files
from terrain.modeles.documents import DOCX, ODT, WRITTEN, DocumentError, fill, source_fields
from terrain.modeles.fields import FieldSyntaxError, field_names
from terrain.modeles.samples import MEETING_REPORT_HTML, meeting_request_docx, strike_tract_odt
from terrain.modeles.uploads import UploadRefused, document_kind

HOSTILE = "<b>Dupont & fils</b> {{ entreprise }} {% for x in y %}{{ x }}{% endfor %} {{ 7*7 }}"


def test_fields_are_found_in_order_once_each():
    assert field_names(["Bonjour {{ nom }}, le {{date}}", "{{ nom }} et {{  ville_2 }}"]) == ["nom", "date", "ville_2"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("{% if nom %}x{% endif %}", "{% if nom %}"),
        ("Bonjour {{ nom", "{{ nom"),
        ("Bonjour nom }}", "nom }}"),
        ("{{ nom|upper }}", "{{ nom|upper }}"),
        ("{{ nom.attr }}", "{{ nom.attr }}"),
        ("{{ date de réunion }}", "{{ date de réunion }}"),
        ("{# note #}", "{# note #}"),
        ("{{ }}", "{{ }}"),
    ],
)
def test_a_wrong_field_is_refused_naming_it(text, names):
    with pytest.raises(FieldSyntaxError) as caught:
        field_names([text])
    assert names in caught.value.message


def test_a_docx_field_cut_across_runs_is_found_and_filled():
    data = meeting_request_docx()
    names = source_fields(DOCX, data)
    assert names[:3] == ["nom_section", "adresse_section", "nom_employeur"]
    assert "objet_reunion" in names and "telephone" in names  # split in three runs; in a table
    values = {name: f"<{name}>" for name in names} | {"objet_reunion": "salaires", "ordre_du_jour": "un\ndeux"}
    filled = fill(DOCX, data, values, title="Lettre", formats={"pdf", DOCX})
    texts = "\n".join(docx_files.docx_texts(filled.files[DOCX]))
    assert "demande de réunion — salaires" in texts
    assert "<nom_section> — <adresse_section>" in texts  # the header too
    assert "<telephone>" in texts and "{{" not in texts
    assert filled.pdf.startswith(b"%PDF")


def test_an_odt_field_cut_by_a_span_is_found_and_filled():
    data = strike_tract_odt()
    names = source_fields(ODT, data)
    assert names == [
        "date_greve", "entreprise", "nom_section", "revendications", "heure_rendez_vous", "lieu_rendez_vous", "contact"
    ]  # fmt: skip
    values = dict.fromkeys(names, "") | {"entreprise": "Acme", "revendications": "Salaires\nEffectifs"}
    filled = fill(ODT, data, values, title="Tract", formats={"pdf", ODT})
    texts = odt_files.odt_texts(filled.files[ODT])
    assert "Salariées et salariés de Acme, la section  vous appelle à la grève." in texts
    assert "SalairesEffectifs" in texts  # two lines: a line break between them
    assert b"<text:line-break/>Effectifs" in zipfile.ZipFile(io.BytesIO(filled.files[ODT])).read("content.xml")
    assert filled.pdf.startswith(b"%PDF")


@pytest.mark.parametrize("source", [DOCX, ODT, WRITTEN])
def test_values_are_inserted_literally_never_evaluated(source):
    content = {DOCX: meeting_request_docx, ODT: strike_tract_odt}.get(source, lambda: MEETING_REPORT_HTML)()
    names = source_fields(source, content)
    values = dict.fromkeys(names, HOSTILE)
    formats = {DOCX, ODT} if source == WRITTEN else {source}
    filled = fill(source, content, values, title="T", formats=formats | {"pdf"})
    for kind, data in filled.files.items():
        texts = "\n".join((docx_files.docx_texts if kind == DOCX else odt_files.odt_texts)(data))
        assert HOSTILE in texts, kind
        assert "49" not in texts
    assert filled.pdf.startswith(b"%PDF")


def test_the_written_template_keeps_its_formatting_in_every_format():
    names = source_fields(WRITTEN, MEETING_REPORT_HTML)
    assert names[0] == "nom_section" and "redacteur" in names
    filled = fill(WRITTEN, MEETING_REPORT_HTML, {"nom_section": "Hôpital Nord"}, title="CR", formats={DOCX, ODT})
    document = docx_files.docx_blocks(filled.files[DOCX])
    assert document[0].kind == "h1" and document[0].text == "Compte rendu de réunion — Hôpital Nord"
    assert any(run.bold and run.text == "Date :" for run in document[1].runs)
    assert [b.kind for b in document][-2:] == ["li", "li"]
    odt = odt_files.odt_blocks(filled.files[ODT])
    assert odt[0].kind == "h1" and odt[0].text == "Compte rendu de réunion — Hôpital Nord"
    assert any(run.bold and run.text == "Date :" for run in odt[1].runs)


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_kind_is_read_from_the_content():
    assert document_kind(meeting_request_docx()) == DOCX
    assert document_kind(strike_tract_odt()) == ODT


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 a renamed executable",
        b"%PDF-1.4 not a text document",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        _zip({"hello.txt": b"a zip, not a document"}),
    ],
)
def test_what_is_not_a_text_document_is_refused(data):
    with pytest.raises(UploadRefused) as caught:
        document_kind(data)
    assert caught.value.message


def test_a_zip_bomb_disguised_as_docx_is_refused():
    bomb = _zip({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w/>" + b" " * 80_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(UploadRefused) as caught:
        document_kind(bomb)
    assert "for safety" in caught.value.message or "sécurité" in caught.value.message


def test_a_damaged_docx_is_a_message_not_a_crash():
    fake = _zip({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<not really xml"})
    assert document_kind(fake) == DOCX
    with pytest.raises(DocumentError):
        source_fields(DOCX, fake)


DOCX_TYPES = (
    b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def test_braces_cut_from_the_name_are_found_in_docx_and_odt():
    from docx import Document
    from lxml import etree
    from odfdo import Document as OdtDocument
    from odfdo import Paragraph

    document = Document()
    paragraph = document.add_paragraph("Le ")
    for piece, bold in (("{", False), ("{ ", True), ("ville", False), (" }", True), ("}", False), (" !", False)):
        paragraph.add_run(piece).bold = bold
    out = io.BytesIO()
    document.save(out)
    assert source_fields(DOCX, out.getvalue()) == ["ville"]
    filled = fill(DOCX, out.getvalue(), {"ville": "Lyon"}, title="", formats={DOCX})
    assert docx_files.docx_texts(filled.files[DOCX]) == ["Le Lyon !"]

    odt = OdtDocument("text")
    odt.body.clear()
    xml = Paragraph("Le {")._xml_element
    for text in ("{ vi", "lle }", "} !"):
        span = etree.SubElement(xml, f"{{{odt_files.TEXT_NS}}}span")
        span.text = text
    odt.body._xml_element.append(xml)
    out = io.BytesIO()
    odt.save(out)
    assert source_fields(ODT, out.getvalue()) == ["ville"]
    filled = fill(ODT, out.getvalue(), {"ville": "Lyon"}, title="", formats={ODT})
    assert odt_files.odt_texts(filled.files[ODT]) == ["Le Lyon !"]


def test_a_document_too_long_for_the_pdf_still_gives_its_editable_file(settings, monkeypatch):
    from terrain.modeles import documents

    monkeypatch.setattr(documents, "PDF_MAX_CHARS", 100)
    html = "<div>" + "Article {{ nom }}. " * 20 + "</div>"
    filled = fill(WRITTEN, html, {"nom": "un"}, title="", formats={DOCX})
    assert filled.files[DOCX]
    with pytest.raises(DocumentError) as caught:
        fill(WRITTEN, html, {"nom": "un"}, title="", formats={"pdf"})
    assert "too long" in caught.value.message or "trop long" in caught.value.message
