"""Checking and re-encoding uploaded images.

An image is judged by its content, never its file name. It is decoded,
turned upright, and written again without any metadata: the EXIF block of a
phone photo holds the GPS position of where it was taken.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_PIXELS = 40_000_000  # a decompression bomb stops here
MAX_SIDE = 2560  # larger pictures are scaled down: nobody needs more on a phone


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    extension: str


def clean_image(upload, *, max_side: int = MAX_SIDE) -> CleanImage:
    """Validate an uploaded file as an image and return a metadata-free copy.

    Raises ``ValidationError`` with a message for the person who sent it.
    """
    size = getattr(upload, "size", None)
    limit = settings.MAX_IMAGE_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("This image weighs %(size)s MB; the limit is %(limit)s MB. Send a smaller photo.")
            % {"size": round(size / 1024 / 1024, 1), "limit": limit // 1024 // 1024},
            code="too_large",
        )
    try:
        upload.seek(0)
        data = upload.read()
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in ACCEPTED_FORMATS:
            raise ValidationError(_("This file is not a photo in JPEG, PNG, GIF or WebP format."), code="format")
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
            has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
            image = image.convert("RGBA" if has_alpha else "RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if has_alpha:
                image.save(out, format="PNG", optimize=True)
                extension = "png"
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
            return CleanImage(ContentFile(out.getvalue()), image.width, image.height, extension)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Send a photo in JPEG, PNG, GIF or WebP format."),
            code="invalid",
        ) from None


# The widths a stored picture is also served at (``srcset``): a 360 px phone screen at one, two
# and three device pixels per CSS pixel. The original (up to ``MAX_SIDE``) stays for larger screens.
RENDITION_WIDTHS = (360, 720, 1080)


def rendition_name(name: str, width: int) -> str:
    """Where the copy of the stored image ``name`` at ``width`` pixels is kept, beside nothing
    public: it is served by the same view, after the same access check, as the original."""
    return f"renditions/{int(width)}/{name}"


def rendition_names(name: str) -> list[str]:
    """Every copy that may exist of the stored image ``name``: delete them with it."""
    return [rendition_name(name, width) for width in RENDITION_WIDTHS]


def scaled_down(data: bytes, *, width: int) -> bytes | None:
    """The image ``data`` (as ``clean_image`` stored it: JPEG or PNG, no metadata) at most
    ``width`` pixels wide, in the same format; ``None`` when it is not wider than that."""
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= width:
            return None
        fmt = image.format
        image.load()
        image.thumbnail((width, image.height))
        out = io.BytesIO()
        if fmt == "PNG":
            image.save(out, format="PNG", optimize=True)
        else:
            image.convert("RGB").save(out, format="JPEG", quality=80, optimize=True, progressive=True)
        return out.getvalue()


def open_at_width(stored: File, width: str | None, *, known_width: int | None = None):
    """The stored image ``stored`` (a model's ``FieldFile``), or its copy ``width`` pixels wide
    (``?w=``: one of ``RENDITION_WIDTHS``, else the original), opened for reading. Call it after
    the access check of the image's owner: a copy is served to whoever may see the original.

    A copy is made on first demand and kept (``rendition_name``); an image not wider than asked
    is kept as it is under that name, so that it is decoded once. ``known_width`` (when the
    model stores it) skips that for small images altogether."""
    if not width or not width.isdigit() or int(width) not in RENDITION_WIDTHS:
        return stored.open("rb")
    wanted = int(width)
    if known_width is not None and known_width <= wanted:
        return stored.open("rb")
    storage = stored.storage
    name = rendition_name(stored.name, wanted)
    if storage.exists(name):
        return storage.open(name, "rb")
    with stored.open("rb") as original:
        data = original.read()
    copy = scaled_down(data, width=wanted) or data
    # Two first readers at once may both write it: the storage keeps one under the name.
    storage.save(name, ContentFile(copy))
    return io.BytesIO(copy)
