"""LibreOffice documents: the fields of an ODT model, its filling, its content as blocks (for the
PDF), and a new ODT written from blocks. odfdo reads and writes the package.

A field is typed as text, ``{{ nom }}``, like in a DOCX. LibreOffice often cuts it into several
pieces (a span for a change of formatting, an autocorrected character, a spell-check mark), so
the fields are read and replaced over the whole text of each paragraph: the value takes the place
(and the formatting) of the field's first piece, and the other pieces lose the characters of the
field. Values are set as text nodes: nothing in them is read as XML or as a field.
"""

from __future__ import annotations

import io

from lxml import etree
from odfdo import Document, Header, Paragraph, Style

from terrain.modeles.blocks import Block, Run
from terrain.modeles.fields import replace_across

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
P = f"{{{TEXT_NS}}}p"
H = f"{{{TEXT_NS}}}h"
LINE_BREAK = f"{{{TEXT_NS}}}line-break"


def _open(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def _paragraphs(document: Document):
    """The outermost paragraphs and headings of the body, headers and footers (lxml elements)."""
    for part_name in ("content", "styles"):
        root = document.get_part(part_name).root._xml_element
        for element in root.iter(P, H):
            if not any(ancestor.tag in (P, H) for ancestor in element.iterancestors()):
                yield element


def _slots(paragraph) -> list[tuple]:
    """The paragraph's text pieces in reading order: (element, "text" | "tail")."""
    slots: list[tuple] = []

    def visit(element) -> None:
        slots.append((element, "text"))
        for child in element:
            if isinstance(child.tag, str):
                visit(child)
            slots.append((child, "tail"))

    visit(paragraph)
    return slots


def _get(slot) -> str:
    element, which = slot
    return (element.text if which == "text" else element.tail) or ""


def _set(slot, value: str) -> None:
    element, which = slot
    if which == "text":
        element.text = value
    else:
        element.tail = value


def _paragraph_text(paragraph) -> str:
    return "".join(_get(slot) for slot in _slots(paragraph))


def odt_texts(data: bytes) -> list[str]:
    """The text of every paragraph of an ODT (body, tables, headers, footers), pieces joined."""
    return [_paragraph_text(p) for p in _paragraphs(_open(data))]


def _replace_in_paragraph(paragraph, values: dict[str, str]) -> None:
    slots = _slots(paragraph)
    texts = [_get(slot) for slot in slots]
    if "{{" not in "".join(texts):
        return
    for slot, text in zip(slots, replace_across(texts, values), strict=True):
        _set(slot, text)
    _line_breaks(paragraph)


def _line_breaks(paragraph) -> None:
    """Turn the "\\n" of multi-line values into ``text:line-break`` elements."""
    for element, which in _slots(paragraph):
        text = (element.text if which == "text" else element.tail) or ""
        if "\n" not in text:
            continue
        lines = text.split("\n")
        breaks = [etree.Element(LINE_BREAK) for _ in lines[1:]]
        for line_break, line in zip(breaks, lines[1:], strict=True):
            line_break.tail = line
        if which == "text":
            element.text = lines[0]
            for offset, line_break in enumerate(breaks):
                element.insert(offset, line_break)
        else:
            element.tail = lines[0]
            parent = element.getparent()
            at = parent.index(element) + 1
            for offset, line_break in enumerate(breaks):
                parent.insert(at + offset, line_break)


def odt_fill(data: bytes, values: dict[str, str]) -> bytes:
    """The ODT model ``data`` with its fields replaced by ``values`` (plain text)."""
    document = _open(data)
    for paragraph in list(_paragraphs(document)):
        _replace_in_paragraph(paragraph, values)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- content as blocks (for the PDF) -------------------------------------------------------------


def _text_styles(document: Document) -> dict[str, dict]:
    """Automatic and named styles: name -> bold/italic/underline/strike/align."""
    found: dict[str, dict] = {}
    for part_name in ("content", "styles"):
        root = document.get_part(part_name).root._xml_element
        for style in root.iter(f"{{{STYLE_NS}}}style"):
            name = style.get(f"{{{STYLE_NS}}}name")
            facts: dict = {}
            for props in style.iter(f"{{{STYLE_NS}}}text-properties"):
                facts["bold"] = props.get(f"{{{FO_NS}}}font-weight") == "bold"
                facts["italic"] = props.get(f"{{{FO_NS}}}font-style") == "italic"
                underline = props.get(f"{{{STYLE_NS}}}text-underline-style")
                facts["underline"] = bool(underline) and underline != "none"
                strike = props.get(f"{{{STYLE_NS}}}text-line-through-style")
                facts["strike"] = bool(strike) and strike != "none"
            for props in style.iter(f"{{{STYLE_NS}}}paragraph-properties"):
                align = props.get(f"{{{FO_NS}}}text-align") or ""
                facts["align"] = {"end": "right", "right": "right", "center": "center", "justify": "justify"}.get(
                    align, ""
                )
            if name:
                found[name] = facts
    return found


def _odt_runs(element, styles: dict, style: dict) -> list[Run]:
    runs: list[Run] = []
    flags = ("bold", "italic", "underline", "strike")

    def walk(node, current: dict) -> None:
        own = styles.get(node.get(f"{{{TEXT_NS}}}style-name") or "", {})
        current = {flag: current.get(flag, False) or own.get(flag, False) for flag in flags}
        if node.text:
            runs.append(Run(node.text, **current))
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "line-break":
                runs.append(Run("\n"))
            elif tag == "s":
                runs.append(Run(" " * int(child.get(f"{{{TEXT_NS}}}c") or 1)))
            elif tag == "tab":
                runs.append(Run(" "))
            elif tag in ("span", "a", "meta"):
                walk(child, current)
            if child.tail:
                runs.append(Run(child.tail, **current))

    walk(element, style)
    return runs


def odt_blocks(data: bytes) -> list[Block]:
    """The body of an ODT as blocks: paragraphs, headings, list items, simple tables."""
    document = _open(data)
    styles = _text_styles(document)
    blocks: list[Block] = []
    body = document.body._xml_element

    def paragraph_block(element, kind: str, **extra) -> Block:
        own = styles.get(element.get(f"{{{TEXT_NS}}}style-name") or "", {})
        return Block(kind=kind, runs=_odt_runs(element, styles, {}), align=own.get("align", ""), **extra)

    def walk(container, list_level: int = 0) -> None:
        for element in container:
            tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if tag == "h":
                level = int(element.get(f"{{{TEXT_NS}}}outline-level") or 1)
                blocks.append(paragraph_block(element, f"h{min(max(level, 1), 3)}"))
            elif tag == "p":
                blocks.append(paragraph_block(element, "li" if list_level else "p", level=max(list_level - 1, 0)))
            elif tag == "list":
                for item in element:
                    walk(item, list_level + 1)
            elif tag == "table":
                rows = []
                for row in element.iter(f"{{{TABLE_NS}}}table-row"):
                    cells = []
                    for cell in row.iter(f"{{{TABLE_NS}}}table-cell"):
                        runs: list[Run] = []
                        for index, paragraph in enumerate(cell.iter(P, H)):
                            if index:
                                runs.append(Run("\n"))
                            runs.extend(_odt_runs(paragraph, styles, {}))
                        cells.append(runs)
                    rows.append(cells)
                blocks.append(Block(kind="table", rows=rows))
            elif tag == "section":
                walk(element, list_level)

    walk(body)
    return blocks


# --- blocks to a new ODT (templates written in the app) -----------------------------------------

FLAGS = ("bold", "italic", "underline", "strike")


def _append_text(xml, text: str, style: str | None) -> None:
    """Add ``text`` at the end of the paragraph ``xml``, in a span of ``style`` if any. Plain lxml
    text: a value is never parsed, and a single space between words stays (ODF keeps single spaces)."""
    if style:
        span = etree.SubElement(xml, f"{{{TEXT_NS}}}span")
        span.set(f"{{{TEXT_NS}}}style-name", style)
        span.text = text
    elif len(xml):
        xml[-1].tail = (xml[-1].tail or "") + text
    else:
        xml.text = (xml.text or "") + text


def blocks_odt(blocks: list[Block], *, title: str = "") -> bytes:
    document = Document("text")
    body = document.body
    body.clear()
    made: set[str] = set()

    def text_style(run: Run) -> str | None:
        on = [flag for flag in FLAGS if getattr(run, flag)]
        if not on:
            return None
        name = "T_" + "_".join(on)
        if name not in made:
            properties = {}
            if run.underline:
                properties["style:text-underline-style"] = "solid"
            if run.strike:
                properties["style:text-line-through-style"] = "solid"
            document.insert_style(
                Style("text", name=name, bold=run.bold, italic=run.italic, area="text", **properties), automatic=True
            )
            made.add(name)
        return name

    def paragraph_style(name: str, **properties) -> str:
        if name not in made:
            document.insert_style(Style("paragraph", name=name, area="paragraph", **properties), automatic=True)
            made.add(name)
        return name

    counters: dict[int, int] = {}
    for block in blocks:
        element = Header(int(block.kind[1]), "") if block.kind in ("h1", "h2", "h3") else Paragraph("")
        if block.align in ("center", "right", "justify"):
            element.style = paragraph_style(f"P_{block.align}", **{"fo:text-align": block.align})
        elif block.kind == "li":
            element.style = paragraph_style(
                f"P_list_{block.level}", **{"fo:margin-left": f"{0.8 + block.level * 0.8}cm"}
            )
        elif block.kind == "quote":
            element.style = paragraph_style("P_quote", **{"fo:margin-left": "1cm"})
        xml = element._xml_element
        if block.kind == "li":
            # A bullet written as text: an editable, faithful list without list styles to get wrong.
            if block.ordered:
                counters[block.level] = counters.get(block.level, 0) + 1
                _append_text(xml, f"{counters[block.level]}. ", None)
            else:
                _append_text(xml, "• ", None)
        else:
            counters.clear()
        for run in block.runs:
            for index, line in enumerate(run.text.split("\n")):
                if index:
                    etree.SubElement(xml, LINE_BREAK)
                if line:
                    _append_text(xml, line, text_style(run))
        body.append(element)
    if title:
        document.meta.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
