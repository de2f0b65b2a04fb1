"""What the library accepts: the type of an upload checked by its content, never by its name.

``upload_check`` reads the first bytes with libmagic (``python-magic``), looks the name's
extension up in ``ALLOWED`` and refuses, with a sentence in French for the person who sent it,
anything whose content and extension disagree (a renamed executable, an SVG or an HTML page
called ``.jpg``), a zip that is no real OpenDocument or Office file, a zip bomb (its entries'
total uncompressed size and compression ratio are read from the directory before anything is
decompressed), and anything larger than ``settings.LIBRARY_MAX_UPLOAD_MB``. Images are re-encoded
at full size, which drops their metadata (EXIF: the place, the camera, sometimes a name).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DOCUMENT, IMAGE, AUDIO, VIDEO = "document", "image", "audio", "video"

OLE = {"application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"}
ZIP = {"application/zip", "application/octet-stream"}


@dataclass(frozen=True)
class Allowed:
    kind: str
    mime: str  # what the file is served as
    detected: frozenset[str]  # what libmagic may call it
    # For zip containers: the member that proves what it is, and (OpenDocument) its "mimetype".
    zip_member: str = ""
    odf_mimetype: str = ""


def _odf(mime: str) -> Allowed:
    return Allowed(DOCUMENT, mime, frozenset({mime, *ZIP}), zip_member="content.xml", odf_mimetype=mime)


def _ooxml(mime: str, member: str) -> Allowed:
    return Allowed(DOCUMENT, mime, frozenset({mime, *ZIP}), zip_member=member)


ALLOWED: dict[str, Allowed] = {
    "pdf": Allowed(DOCUMENT, "application/pdf", frozenset({"application/pdf"})),
    "odt": _odf("application/vnd.oasis.opendocument.text"),
    "ods": _odf("application/vnd.oasis.opendocument.spreadsheet"),
    "odp": _odf("application/vnd.oasis.opendocument.presentation"),
    "docx": _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": _ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"),
    "doc": Allowed(DOCUMENT, "application/msword", frozenset({"application/msword", *OLE})),
    "xls": Allowed(DOCUMENT, "application/vnd.ms-excel", frozenset({"application/vnd.ms-excel", *OLE})),
    "jpg": Allowed(IMAGE, "image/jpeg", frozenset({"image/jpeg"})),
    "jpeg": Allowed(IMAGE, "image/jpeg", frozenset({"image/jpeg"})),
    "png": Allowed(IMAGE, "image/png", frozenset({"image/png"})),
    "gif": Allowed(IMAGE, "image/gif", frozenset({"image/gif"})),
    "webp": Allowed(IMAGE, "image/webp", frozenset({"image/webp"})),
    "mp3": Allowed(AUDIO, "audio/mpeg", frozenset({"audio/mpeg", "audio/mp3"})),
    "ogg": Allowed(AUDIO, "audio/ogg", frozenset({"audio/ogg", "application/ogg", "audio/x-vorbis+ogg"})),
    "wav": Allowed(AUDIO, "audio/wav", frozenset({"audio/x-wav", "audio/wav", "audio/vnd.wave"})),
    "m4a": Allowed(AUDIO, "audio/mp4", frozenset({"audio/mp4", "audio/x-m4a", "audio/m4a", "video/mp4"})),
    "mp4": Allowed(VIDEO, "video/mp4", frozenset({"video/mp4"})),
    "webm": Allowed(VIDEO, "video/webm", frozenset({"video/webm", "audio/webm"})),
}

PIL_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
# A zip whose entries would unpack to more than this, or this many times its size, is a bomb.
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 10_000
MAX_PIXELS = 80_000_000
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Checked:
    """An upload the library accepts: what to store and what it is."""

    content: File
    name: str
    extension: str
    kind: str
    mime: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def accepted_extensions() -> list[str]:
    return sorted(ALLOWED)


def upload_check(upload) -> Checked:
    """``upload`` (an ``UploadedFile``) checked; raises ``ValidationError`` (French) when refused."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = upload.size
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("This file weighs %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": settings.LIBRARY_MAX_UPLOAD_MB},
            code="too_large",
        )
    extension = extension_of(name)
    allowed = ALLOWED.get(extension)
    if allowed is None:
        raise ValidationError(
            _("Files ending in “.%(extension)s” are not accepted. Accepted: %(list)s.")
            % {"extension": extension or "?", "list": ", ".join(accepted_extensions())},
            code="extension",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected not in allowed.detected:
        raise ValidationError(
            _("This file is named “.%(extension)s” but its content is something else (%(detected)s): it was refused.")
            % {"extension": extension, "detected": detected},
            code="content",
        )
    if allowed.zip_member:
        _zip_check(upload, allowed, size)
    if allowed.kind == IMAGE:
        content = _image_reencoded(upload, extension)
        size = content.size
    else:
        content = upload
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    return Checked(content, name, extension, allowed.kind, allowed.mime, size, digest.hexdigest())


def _zip_check(upload, allowed: Allowed, size: int) -> None:
    not_a_document = ValidationError(
        _("This file is not a real %(extension)s document (its content does not match): it was refused.")
        % {"extension": allowed.mime.rsplit(".", 1)[-1]},
        code="content",
    )
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_a_document from None
    total = sum(entry.file_size for entry in entries)
    if len(entries) > ZIP_MAX_ENTRIES or total > ZIP_MAX_UNCOMPRESSED or total > ZIP_MAX_RATIO * max(size, 1):
        upload.seek(0)
        raise ValidationError(
            _("This document would unpack to far more than its size (a “zip bomb”): it was refused."),
            code="zip_bomb",
        )
    names = {entry.filename for entry in entries}
    try:
        if allowed.zip_member not in names:
            raise not_a_document
        if allowed.odf_mimetype:
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
                raise not_a_document
            if archive.read("mimetype").decode("ascii", "replace").strip() != allowed.odf_mimetype:
                raise not_a_document
        elif "[Content_Types].xml" not in names:
            raise not_a_document
    finally:
        upload.seek(0)


def _image_reencoded(upload, extension: str) -> ContentFile:
    """The image at full size, in its own format, without its metadata."""
    refused = ValidationError(_("This image could not be read: it was refused."), code="image")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large in pixels."), code="too_many_pixels")
            probe.verify()
        if fmt != PIL_FORMATS[extension]:
            raise refused
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            if fmt == "GIF":
                # Frames kept (an animation), comments and extensions dropped.
                image.save(out, format="GIF", save_all=True)
            else:
                image.load()
                cleaned = ImageOps.exif_transpose(image)
                if fmt == "JPEG":
                    cleaned.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
                elif fmt == "PNG":
                    cleaned.save(out, format="PNG", optimize=True)
                else:
                    cleaned.save(out, format="WEBP", quality=90)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return ContentFile(out.getvalue(), name=f"image.{extension}")
