"""Fit an image to Bluesky's blob limit and measure it for the post's layout.

Bluesky refuses an image blob over 1,000,000 bytes, while Terrain keeps photos up to
2,560 pixels: such a photo can weigh more. It is then re-encoded as JPEG, with a lower
quality and, if needed, fewer pixels, until it fits.
"""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image, UnidentifiedImageError

from terrain.networks.base import Media

MAX_BLOB_BYTES = 1_000_000


def fit(media: Media, max_bytes: int = MAX_BLOB_BYTES) -> tuple[Media, dict[str, int] | None]:
    """The image as it can be sent, and its ``aspectRatio`` (None if it cannot be read)."""
    try:
        with Image.open(io.BytesIO(media.data)) as image:
            image.load()
            ratio = {"width": image.width, "height": image.height}
            if len(media.data) <= max_bytes:
                return media, ratio
            image = image.convert("RGB")
            quality = 85
            while True:
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=quality, optimize=True)
                if out.tell() <= max_bytes or image.width < 200:
                    break
                if quality > 60:
                    quality -= 10
                else:
                    image = image.resize((int(image.width * 0.8), int(image.height * 0.8)))
    except (UnidentifiedImageError, OSError):
        return media, None  # let the network judge it
    stem = media.filename.rsplit(".", 1)[0] or "image"
    fitted = replace(media, data=out.getvalue(), mime_type="image/jpeg", filename=f"{stem}.jpg")
    return fitted, {"width": image.width, "height": image.height}
