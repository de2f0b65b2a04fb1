"""Small real files for the library's tests (made here, nothing downloaded)."""

from __future__ import annotations

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from terrain.library.services import file_upload


@functools.cache
def pdf_bytes(text: str = "Négociation annuelle obligatoire : les salariés demandent une hausse.") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='fr'><body><h1>Compte rendu</h1><p>{text}</p></body></html>").write_pdf()


def docx_bytes(text: str = "Ordre du jour de l'assemblée générale") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(text: str = "Tract pour la grève du jeudi") -> bytes:
    from odfdo import Document, Paragraph

    document = Document("text")
    document.body.append(Paragraph(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload_of(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def a_pdf(world, *, name="compte-rendu.pdf", by=None, folder=None, cooperative=None):
    return file_upload(
        cooperative=cooperative or world.private_coop,
        folder=folder,
        upload=upload_of(name, pdf_bytes()),
        by=by or world.alice,
    )
