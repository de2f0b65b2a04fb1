"""Print a document's blocks as an A4 PDF with WeasyPrint (no office suite, nothing fetched)."""

from __future__ import annotations

import logging

from django.utils.html import escape

from terrain.modeles.blocks import Block, blocks_html

PRINT_CSS = """
@page { size: A4; margin: 2cm 2.2cm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.45; color: #000; }
h1 { font-size: 18pt; margin: 0 0 .6em; }
h2 { font-size: 14pt; margin: 1em 0 .4em; }
h3 { font-size: 12pt; margin: 1em 0 .3em; }
p { margin: 0 0 .55em; orphans: 3; widows: 3; }
blockquote { margin: 0 0 .6em 1.2em; font-style: italic; }
pre { font-family: "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
li.level-1 { margin-left: 1.2em; } li.level-2 { margin-left: 2.4em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 .8em; }
td { border: .5pt solid #555; padding: .2em .4em; vertical-align: top; }
.align-center { text-align: center; } .align-right { text-align: right; } .align-justify { text-align: justify; }
"""


def _no_fetch(url: str, *args, **kwargs):
    # The printed HTML is built here from escaped text: it has nothing to fetch, and must not try.
    raise ValueError("Nothing is fetched while printing a template.")


def blocks_pdf(blocks: list[Block], *, title: str = "") -> bytes:
    # Imported when first needed: WeasyPrint is heavy to load, and only this path uses it. Its
    # step-by-step progress is logged at INFO: not worth a line per printed page.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import CSS, HTML

    page = (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body>{blocks_html(blocks)}</body></html>"
    )
    return HTML(string=page, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
