"""Word documents: the fields of a DOCX model, its filling (docxtpl), its content as blocks
(python-docx, for the PDF), and a new DOCX written from blocks (a template written in the app).

docxtpl renders the document as a Jinja template; the fields were checked at upload
(``fields.field_names``: names only, no statement, no filter), the environment is sandboxed and
escapes every value, so a member's answer is inserted as text, never evaluated.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined
from jinja2.sandbox import SandboxedEnvironment

from terrain.modeles.blocks import Block, Run

HEADER_FOOTER = ("/header", "/footer")


def _paragraph_text(element) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def docx_texts(data: bytes) -> list[str]:
    """The text of every paragraph of a DOCX (body, tables, headers and footers), runs joined:
    a field split across formatting runs by Word reads whole here."""
    document = Document(io.BytesIO(data))
    # In reading order: the headers, the body, the footers (fields are asked in that order).
    parts: dict[str, list[str]] = {"/header": [], "/footer": []}
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(HEADER_FOOTER):
            continue
        parts[rel.reltype[rel.reltype.rindex("/") :]].extend(
            _paragraph_text(p) for p in rel.target_part.element.iter(qn("w:p"))
        )
    body = [_paragraph_text(p) for p in document.element.body.iter(qn("w:p"))]
    return parts["/header"] + body + parts["/footer"]


def docx_fill(data: bytes, values: dict[str, str]) -> bytes:
    """The DOCX model ``data`` with its fields replaced by ``values`` (plain text; "\\n" breaks a line)."""
    template = DocxTemplate(io.BytesIO(data))
    # An unknown name renders empty rather than failing: the fields were listed at upload.
    environment = SandboxedEnvironment(autoescape=True, undefined=ChainableUndefined)
    template.render(dict(values), jinja_env=environment, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


# --- content as blocks (for the PDF) -------------------------------------------------------------

HEADING_STYLE = re.compile(r"(?:heading|titre)\s*(\d)", re.IGNORECASE)
ALIGNMENTS = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
}


def _runs(paragraph: Paragraph) -> list[Run]:
    return [
        Run(
            run.text.replace("\t", " "),
            bold=bool(run.bold),
            italic=bool(run.italic),
            underline=bool(run.underline),
            strike=bool(run.font.strike),
        )
        for run in paragraph.runs
        if run.text
    ]


def _paragraph_block(paragraph: Paragraph) -> Block:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    runs = _runs(paragraph)
    align = ALIGNMENTS.get(paragraph.alignment, "")
    if style.lower() == "title" or style.lower() == "titre":
        return Block(kind="h1", runs=runs, align=align)
    heading = HEADING_STYLE.match(style)
    if heading:
        return Block(kind=f"h{min(max(int(heading.group(1)), 1), 3)}", runs=runs, align=align)
    if "list" in style.lower() or "liste" in style.lower():
        return Block(kind="li", runs=runs, ordered="number" in style.lower() or "num" in style.lower())
    if paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return Block(kind="li", runs=runs)
    return Block(kind="p", runs=runs, align=align)


def docx_blocks(data: bytes) -> list[Block]:
    """The body of a DOCX as blocks: paragraphs, headings, list items, simple tables."""
    document = Document(io.BytesIO(data))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    runs: list[Run] = []
                    for index, paragraph in enumerate(cell.paragraphs):
                        if index:
                            runs.append(Run("\n"))
                        runs.extend(_runs(paragraph))
                    cells.append(runs)
                rows.append(cells)
            blocks.append(Block(kind="table", rows=rows))
        else:
            blocks.append(_paragraph_block(item))
    return blocks


# --- blocks to a new DOCX (templates written in the app) ----------------------------------------


def blocks_docx(blocks: list[Block], *, title: str = "") -> bytes:
    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(2.2)
    if title:
        document.core_properties.title = title
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            paragraph = document.add_heading(level=int(block.kind[1]))
        elif block.kind == "li":
            style = "List Number" if block.ordered else "List Bullet"
            paragraph = document.add_paragraph(style=style + (" 2" if block.level else ""))
        elif block.kind == "quote":
            paragraph = document.add_paragraph(style="Quote")
        else:
            paragraph = document.add_paragraph()
        if block.align in ("center", "right", "justify"):
            paragraph.alignment = {v: k for k, v in ALIGNMENTS.items()}[block.align]
        for run in block.runs:
            for index, line in enumerate(run.text.split("\n")):
                if index:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                if line:
                    written = paragraph.add_run(line)
                    written.bold = run.bold or None
                    written.italic = run.italic or None
                    written.underline = run.underline or None
                    if run.strike:
                        written.font.strike = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
