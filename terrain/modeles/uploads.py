"""What an uploaded model is, judged by its content (never its name), before any library opens it.

A DOCX and an ODT are zip archives: the archive must open, announce the right type (a DOCX's
``[Content_Types].xml`` names a Word document, an ODT's first member ``mimetype`` says
``application/vnd.oasis.opendocument.text``), stay under a size limit, and not unpack into far
more than it weighs (a zip bomb disguised as a letter). The sizes checked are the ones the
archive declares: Python's ``zipfile`` never inflates a member past its declared size.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

DOCX = "docx"
ODT = "odt"

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def max_bytes() -> int:
    return getattr(settings, "MODELES_MAX_BYTES", 5 * 1024 * 1024)


def max_unpacked_bytes() -> int:
    return getattr(settings, "MODELES_MAX_UNPACKED_BYTES", 60 * 1024 * 1024)


MAX_RATIO = 200  # an XML document packs ~10x; a bomb packs 1000x and more
MAX_MEMBERS = 3000


class UploadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def document_kind(data: bytes) -> str:
    """``DOCX`` or ``ODT`` for a real, reasonable document; ``UploadRefused`` (French message) otherwise."""
    if len(data) > max_bytes():
        raise UploadRefused(
            _("This file is too large (%(size)s MB): a template may weigh at most %(max)s MB.")
            % {"size": round(len(data) / 1024 / 1024, 1), "max": max_bytes() // (1024 * 1024)}
        )
    not_a_document = _(
        "This file is not a Word (.docx) or LibreOffice (.odt) text document. Open it in your word "
        "processor and save it as .docx or .odt."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(not_a_document) from None
    with archive:
        if len(members) > MAX_MEMBERS:
            raise UploadRefused(not_a_document)
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
        if unpacked > max_unpacked_bytes() or unpacked / packed > MAX_RATIO:
            raise UploadRefused(
                _(
                    "This file unpacks into far more data than a text document holds: it was refused "
                    "for safety. Save the document again from your word processor."
                )
            )
        names = {member.filename for member in members}
        try:
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == ODT_MIMETYPE and "content.xml" in names:
                    return ODT
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise UploadRefused(
                        _(
                            "This OpenDocument file is not a text document (.odt): a template is a "
                            "letter, a tract or statutes written in LibreOffice Writer."
                        )
                    )
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")
                if DOCX_MAIN in types:
                    return DOCX
                if DOCX_TEMPLATE_MAIN in types:
                    raise UploadRefused(
                        _("This is a Word template (.dotx): open it in Word and save it as a document (.docx).")
                    )
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            raise UploadRefused(not_a_document) from None
    raise UploadRefused(not_a_document)
