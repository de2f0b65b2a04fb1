"""A document's content as plain blocks (paragraphs, headings, list items, tables) of formatted runs.

The bridge between the formats: a template written in the app (sanitised HTML) becomes blocks,
then a DOCX (python-docx), an ODT (odfdo) or the HTML WeasyPrint prints; a filled DOCX or ODT
becomes blocks too, for its PDF. Blocks keep what a letter or a tract needs (headings, bold,
italic, underline, lists, line breaks, centred lines, simple tables), not the page layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from lxml import html as lxml_html

HEADINGS = ("h1", "h2", "h3")


@dataclass
class Run:
    # "\n" inside the text is a line break.
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False


@dataclass
class Block:
    # "p", "h1", "h2", "h3", "quote", "pre", "li" or "table".
    kind: str
    runs: list[Run] = field(default_factory=list)
    ordered: bool = False
    level: int = 0
    align: str = ""
    # A table: rows of cells, each cell a list of runs.
    rows: list[list[list[Run]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


# --- HTML (sanitised rich text) to blocks -------------------------------------------------------

INLINE_STYLES = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "u": "underline",
    "s": "strike",
    "del": "strike",
}


def html_blocks(html: str) -> list[Block]:
    """The blocks of sanitised rich text (what Trix writes: ``div``/``p``, ``h1``, lists, ``br``)."""
    if not (html or "").strip():
        return []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    blocks: list[Block] = []
    _html_container(root, blocks, kind="p")
    return [b for b in blocks if b.kind == "table" or b.runs]


def _html_container(element, blocks: list[Block], *, kind: str, ordered: bool = False, level: int = 0) -> None:
    """Block-level children of ``element``; loose inline content becomes paragraphs of ``kind``."""
    current: Block | None = None

    def loose() -> Block:
        nonlocal current
        if current is None:
            current = Block(kind=kind, ordered=ordered, level=level)
            blocks.append(current)
        return current

    if element.text:
        loose().runs.append(Run(element.text))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("p", "div"):
            current = None
            _html_container(child, blocks, kind=kind, ordered=ordered, level=level)
        elif tag in HEADINGS:
            current = None
            blocks.append(Block(kind=tag, runs=_html_runs(child, {})))
        elif tag in ("ul", "ol"):
            current = None
            for item in child:
                if getattr(item, "tag", "") == "li":
                    _html_container(item, blocks, kind="li", ordered=tag == "ol", level=level + (kind == "li"))
        elif tag == "blockquote":
            current = None
            _html_container(child, blocks, kind="quote")
        elif tag == "pre":
            current = None
            blocks.append(Block(kind="pre", runs=_html_runs(child, {})))
        elif tag == "br":
            loose().runs.append(Run("\n"))
        elif tag:
            loose().runs.extend(_html_runs(child, {}))
        if child.tail:
            loose().runs.append(Run(child.tail))
    # Trix ends a block with <br> when it ends with an empty line: not worth a blank in print.
    for block in blocks:
        while block.runs and block.runs[-1].text == "\n":
            block.runs.pop()


def _html_runs(element, style: dict) -> list[Run]:
    tag = element.tag if isinstance(element.tag, str) else ""
    style = dict(style)
    if tag in INLINE_STYLES:
        style[INLINE_STYLES[tag]] = True
    runs: list[Run] = []
    if tag == "br":
        runs.append(Run("\n", **style))
    elif element.text:
        runs.append(Run(element.text, **style))
    for child in element:
        runs.extend(_html_runs(child, style))
        if child.tail:
            runs.append(Run(child.tail, **style))
    return runs


# --- blocks to HTML (for the PDF) ----------------------------------------------------------------


def runs_html(runs: list[Run]) -> str:
    parts = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br>")
        for flag, tag in (("strike", "s"), ("underline", "u"), ("italic", "em"), ("bold", "strong")):
            if getattr(run, flag):
                text = f"<{tag}>{text}</{tag}>"
        parts.append(text)
    return "".join(parts)


def blocks_html(blocks: list[Block]) -> str:
    """HTML of the blocks, every text escaped: what the PDF prints."""
    out: list[str] = []
    open_list: str | None = None
    for block in blocks:
        list_tag = ("ol" if block.ordered else "ul") if block.kind == "li" else None
        if open_list and list_tag != open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if list_tag and not open_list:
            out.append(f"<{list_tag}>")
            open_list = list_tag
        css = f' class="align-{block.align}"' if block.align in ("center", "right", "justify") else ""
        if block.kind == "li":
            level = f' class="level-{min(block.level, 4)}"' if block.level else ""
            out.append(f"<li{level}>{runs_html(block.runs)}</li>")
        elif block.kind in HEADINGS:
            out.append(f"<{block.kind}{css}>{runs_html(block.runs)}</{block.kind}>")
        elif block.kind == "quote":
            out.append(f"<blockquote>{runs_html(block.runs)}</blockquote>")
        elif block.kind == "pre":
            out.append(f"<pre>{runs_html(block.runs)}</pre>")
        elif block.kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{runs_html(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
            )
            out.append(f"<table>{rows}</table>")
        else:
            out.append(f"<p{css}>{runs_html(block.runs) or '&nbsp;'}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "\n".join(out)
