"""The purge of the library's bytes: files deleted a month ago, and blobs no version points at
(an upload whose outer transaction rolled back). Run by the clock (``library.periodic``)."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from terrain.library.models import File, FileVersion

logger = logging.getLogger(__name__)

# Soft-deleted files keep their bytes this long (a mistake can be undone by an administrator).
PURGE_AFTER = timedelta(days=30)
# A stored blob younger than this may belong to an upload in progress: the purge leaves it.
ORPHAN_GRACE = timedelta(hours=6)


def blob_delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # the purge will find it
        logger.warning("Could not delete the library blob %s", name)


def files_purge(*, now=None) -> int:
    """Delete the bytes and rows of files deleted more than ``PURGE_AFTER`` ago, and the blobs no
    version points at (an upload whose transaction rolled back). Returns how many blobs went."""
    now = now or timezone.now()
    gone = 0
    for file in File.objects.filter(deleted_at__lt=now - PURGE_AFTER).prefetch_related("versions"):
        names = [n for v in file.versions.all() for n in (v.blob.name, v.preview.name) if n]
        with transaction.atomic():
            file.delete()
        for name in names:
            blob_delete(name)
            gone += 1
    gone += _orphans_purge(now)
    return gone


def _orphans_purge(now) -> int:
    root = os.path.join(settings.MEDIA_ROOT, "library")
    if not os.path.isdir(root):
        return 0
    known = set(FileVersion.objects.values_list("blob", flat=True))
    known |= set(FileVersion.objects.exclude(preview="").values_list("preview", flat=True))
    gone = 0
    limit = (now - ORPHAN_GRACE).timestamp()
    for directory, _dirs, names in os.walk(root):
        for filename in names:
            path = os.path.join(directory, filename)
            name = os.path.relpath(path, settings.MEDIA_ROOT).replace(os.sep, "/")
            if name not in known and os.path.getmtime(path) < limit:
                blob_delete(name)
                gone += 1
    return gone
