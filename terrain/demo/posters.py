"""Simple coloured posters drawn with Pillow: the pictures of the demonstration posts."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from functools import cache

from PIL import Image, ImageDraw, ImageFont

PALETTE = [
    (179, 18, 46),  # brand red
    (31, 78, 121),  # deep blue
    (36, 110, 75),  # green
    (120, 60, 140),  # purple
    (196, 98, 16),  # orange
    (40, 40, 40),  # near black
]


@cache
def _font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """A font with French accents when the machine has one, else Pillow's own (accents dropped)."""
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"):
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _drawable(text: str, accents: bool) -> str:
    if accents:
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def poster(text: str, *, color: tuple[int, int, int], size: tuple[int, int] = (800, 500), subtitle: str = "") -> bytes:
    """A JPEG poster: a coloured background, a light band and ``text`` in large letters."""
    width, height = size
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    band = tuple(min(255, c + 60) for c in color)
    draw.rectangle((0, height - height // 5, width, height), fill=band)
    font, accents = _font(max(18, width // 16))
    small, _ = _font(max(12, width // 32))
    lines = textwrap.wrap(_drawable(text, accents), width=20)
    draw.multiline_text(
        (width // 2, (height - height // 5) // 2),
        "\n".join(lines),
        font=font,
        fill=(255, 255, 255),
        anchor="mm",
        align="center",
        spacing=10,
    )
    if subtitle:
        draw.text(
            (width // 2, height - height // 10),
            _drawable(subtitle, accents),
            font=small,
            fill=(20, 20, 20),
            anchor="mm",
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
