"""Run in a child process (``python -m terrain.library.sandbox MODE MIME SOURCE [TARGET]``) by
``library.processing``: reads one untrusted file and writes what it found. No Django here: the
child only sees a file, under limits of time and memory set by its parent, so a corrupt PDF or
a bomb kills the child, never the worker.

- ``text``: the plain text of a PDF, an OpenDocument text or a DOCX, on stdout (UTF-8).
- ``preview``: a WebP thumbnail (``THUMB`` pixels wide at most) of an image or a PDF's first page,
  written to TARGET; its width and height on stdout.
"""

from __future__ import annotations

import sys

THUMB = 480
TEXT_LIMIT = 2_000_000


def text_of(mime: str, source: str) -> str:
    if mime == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(source)
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > TEXT_LIMIT:
                break
        return "\n".join(parts)
    if mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        import docx

        document = docx.Document(source)
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    if mime == "application/vnd.oasis.opendocument.text":
        from odfdo import Document

        return Document(source).get_formatted_text()
    raise ValueError(mime)


def preview_of(mime: str, source: str, target: str) -> tuple[int, int]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 80_000_000
    if mime == "application/pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(source)
        page = pdf[0]
        width = page.get_width() or 1
        image = page.render(scale=min(THUMB * 2 / width, 3)).to_pil()
    else:
        image = Image.open(source)
        image.seek(0)
        image.load()
    image = image.convert("RGB")
    image.thumbnail((THUMB, THUMB * 2))
    image.save(target, format="WEBP", quality=80)
    return image.width, image.height


def main(argv: list[str]) -> int:
    mode, mime, source = argv[1], argv[2], argv[3]
    if mode == "text":
        sys.stdout.write(text_of(mime, source)[:TEXT_LIMIT])
    elif mode == "preview":
        width, height = preview_of(mime, source, argv[4])
        sys.stdout.write(f"{width} {height}")
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
