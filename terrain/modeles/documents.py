"""One door to the document formats: the fields of a source, its filling, its outputs.

``source`` is ``docx`` or ``odt`` (an uploaded model, bytes) or ``written`` (sanitised HTML
written in the app). Every failure of a document library while reading or filling becomes a
``DocumentError`` with a message in the reader's language: a broken model never crashes a page.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from terrain.modeles import docx_files, odt_files
from terrain.modeles.blocks import Block, html_blocks
from terrain.modeles.fields import FieldSyntaxError, field_names, replace_across
from terrain.modeles.pdf import blocks_pdf

logger = logging.getLogger(__name__)

DOCX = "docx"
ODT = "odt"
WRITTEN = "written"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
}
# Control characters a form may carry but a document must not (XML refuses most of them; docxtpl
# reads \a and \f as paragraph and page breaks).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# What the PDF prints at most, in characters of text (about 15 pages): WeasyPrint takes a few
# seconds for that on a busy server, in the request. Longer documents are printed from the
# editable file, in the member's word processor.
PDF_MAX_CHARS = 50_000


class DocumentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TooLongForPdf(DocumentError):
    """The filled document is too long to be printed here (the editable file still works)."""


@dataclass(frozen=True)
class Filled:
    """The filled document: the editable files (by format) and the PDF."""

    files: dict[str, bytes]
    pdf: bytes | None = None


def clean_value(value: str) -> str:
    return CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))


def source_texts(source: str, content: bytes | str) -> list[str]:
    """The paragraphs' text of a model (to find its fields and feed the search)."""
    try:
        if source == DOCX:
            return docx_files.docx_texts(content)
        if source == ODT:
            return odt_files.odt_texts(content)
        return [block.text for block in html_blocks(content)]
    except Exception:  # a library's surprise on a damaged file: refuse it, say so
        logger.warning("modeles: could not read a %s model", source, exc_info=True)
        raise DocumentError(
            _("This document could not be read: it may be damaged. Open it in your word processor and save it again.")
        ) from None


def source_fields(source: str, content: bytes | str) -> list[str]:
    """The field names of a model; ``DocumentError`` saying which field is wrong otherwise."""
    try:
        return field_names(source_texts(source, content))
    except FieldSyntaxError as error:
        raise DocumentError(error.message) from None


def fill_blocks(blocks: list[Block], values: dict[str, str]) -> list[Block]:
    filled = copy.deepcopy(blocks)
    for block in filled:
        pieces = [block.runs] if block.kind != "table" else [cell for row in block.rows for cell in row]
        for runs in pieces:
            for run, text in zip(runs, replace_across([r.text for r in runs], values), strict=True):
                run.text = text
    return filled


def _length(blocks: list[Block]) -> int:
    total = 0
    for block in blocks:
        cells = [cell for row in block.rows for cell in row] if block.kind == "table" else [block.runs]
        total += sum(len(run.text) for runs in cells for run in runs)
    return total


def fill(source: str, content: bytes | str, values: dict[str, str], *, title: str, formats: set[str]) -> Filled:
    """The model filled with ``values`` in ``formats`` (``docx``, ``odt``, ``pdf``)."""
    values = {name: clean_value(value) for name, value in values.items()}
    try:
        files: dict[str, bytes] = {}
        if source == WRITTEN:
            blocks = fill_blocks(html_blocks(content), values)
            if DOCX in formats:
                files[DOCX] = docx_files.blocks_docx(blocks, title=title)
            if ODT in formats:
                files[ODT] = odt_files.blocks_odt(blocks, title=title)
        else:
            filled = (docx_files.docx_fill if source == DOCX else odt_files.odt_fill)(content, values)
            files[source] = filled
            if "pdf" in formats:
                blocks = (docx_files.docx_blocks if source == DOCX else odt_files.odt_blocks)(filled)
        pdf = None
        if "pdf" in formats:
            if _length(blocks) > PDF_MAX_CHARS:
                raise TooLongForPdf(
                    _(
                        "This document is too long to be made into a PDF here. Download the editable file "
                        "and print it from your word processor."
                    )
                )
            pdf = blocks_pdf(blocks, title=title)
    except DocumentError:
        raise
    except Exception:  # a library's surprise on an odd model: a message, never a crash
        logger.warning("modeles: could not fill a %s model", source, exc_info=True)
        raise DocumentError(
            _(
                "This template could not be filled in: its document has something Terrain cannot read. "
                "Ask a facilitator to open it in a word processor, save it again and upload it anew."
            )
        ) from None
    return Filled(files=files, pdf=pdf)
