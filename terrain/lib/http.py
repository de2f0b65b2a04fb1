"""Small helpers shared by views."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from functools import wraps

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, url_has_allowed_host_and_scheme

from terrain.lib.images import open_at_width


def safe_next_url(request: HttpRequest, default: str) -> str:
    """Where to go back after an action: ``next`` (POST, then GET) when it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def error_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence for a flash message."""
    return " ".join(error.messages)


def personal_data(view):
    """For a page that lists members or shows personal data: ``Cache-Control: private, no-store``.

    No shared cache may keep it, and the browser does not store it either (a
    shared computer's history, a back button after signing out). Union
    membership is special-category data. ``core/tests/test_personal_pages.py``
    lists the views that must carry it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # ``private`` replaces a ``public`` the view may have set; ``no-store`` makes any max-age moot.
        patch_cache_control(response, private=True, no_store=True)
        return response

    wrapper.personal_data = True
    return wrapper


def protected_file(
    request: HttpRequest,
    stored: FieldFile,
    *,
    max_age: int,
    width: str | None = None,
    known_width: int | None = None,
    public: bool = False,
) -> HttpResponse:
    """Stream the upload ``stored`` (a model's ``FieldFile``) to a reader the caller has let in.

    The one way Terrain serves an upload (they are never served directly): call it
    after the access check of the file's owner. ``width`` (``?w=``) serves a smaller
    copy of an image (``lib.images.open_at_width``). The response says what it is
    (``Content-Type``, an inline ``Content-Disposition``, ``nosniff``), may be kept by
    the browser only (``Cache-Control: private``; ``public`` for a signed address meant
    for a network) and carries validators, so a reader's cache revalidates with a 304.
    A missing file is a 404.
    """
    if not stored:
        raise Http404
    try:
        modified = stored.storage.get_modified_time(stored.name)
    except (NotImplementedError, OSError):  # a storage that cannot tell, or a missing file (404 below)
        modified = None
    stamp = int(modified.timestamp()) if modified else None
    etag = '"{}"'.format(hashlib.sha256(f"{stored.name}|{width or ''}|{stamp}".encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        try:
            handle = open_at_width(stored, width, known_width=known_width)
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        wanted = _range_wanted(request, etag) if width is None else None
        if wanted is None:
            response = FileResponse(handle, content_type=content_type, filename=os.path.basename(stored.name))
        else:
            response = _partial(handle, wanted, content_type=content_type, name=os.path.basename(stored.name))
    if width is None:
        # A video or a sound can be played from any point (the player asks for the bytes it needs).
        response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, max_age=max_age)
    return response


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def _range_wanted(request: HttpRequest, etag: str) -> str | None:
    """The one byte range a reader asks for (``Range: bytes=…``), when the file it knows is
    this one (``If-Range``); None for the whole file. Several ranges get the whole file."""
    wanted = request.headers.get("Range", "").strip()
    if not wanted or request.method not in ("GET", "HEAD"):
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        return None
    return wanted


def _partial(handle, wanted: str, *, content_type: str, name: str) -> HttpResponse:
    """A 206 with the bytes ``wanted`` of ``handle`` (RFC 9110, 14), or a 416 when none of
    them is in the file; a range it cannot read (several ranges, a typo) gets the whole file."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    match = _RANGE.match(wanted)
    if match is None or match.groups() == ("", ""):
        handle.seek(0)
        return FileResponse(handle, content_type=content_type, filename=name)
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end or (first == "" and int(last) == 0):
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle.seek(start)

    def chunks(remaining: int = end - start + 1):
        try:
            while remaining > 0:
                data = handle.read(min(_CHUNK, remaining))
                if not data:
                    break
                remaining -= len(data)
                yield data
        finally:
            handle.close()

    response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=name)
    return response
