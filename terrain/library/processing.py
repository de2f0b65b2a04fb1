"""What the worker does with a new version: its text (for the search) and its preview.

Each reading of the untrusted file runs in a child process (``library.sandbox``) bounded in
time (``LIBRARY_PROCESS_SECONDS``) and memory (``RLIMIT_AS``, ``LIBRARY_PROCESS_MEMORY_MB``): a
corrupt PDF or a decompression bomb ends the child, and the file is marked so (it stays
downloadable; its page says its text could not be read).
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from terrain.library.models import File, FileVersion
from terrain.search.services import search_index

logger = logging.getLogger(__name__)

EXTRACTABLE = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
PREVIEWABLE = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


def extractable(mime: str) -> bool:
    return mime in EXTRACTABLE


def previewable(mime: str) -> bool:
    return mime in PREVIEWABLE


@dataclass
class Outcome:
    ok: bool
    output: str = ""
    error: str = ""


def _limits():  # in the child, before it runs Python
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_BYTES, _MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (_SECONDS + 1, _SECONDS + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_MEMORY_BYTES = 768 * 1024 * 1024
_SECONDS = 30


def sandboxed(*args: str) -> Outcome:
    """Run ``library.sandbox`` with ``args`` under the limits; never raises for what the file does."""
    global _MEMORY_BYTES, _SECONDS
    _MEMORY_BYTES = settings.LIBRARY_PROCESS_MEMORY_MB * 1024 * 1024
    _SECONDS = settings.LIBRARY_PROCESS_SECONDS
    try:
        completed = subprocess.run(  # noqa: S603 (our own module, arguments we built)
            [sys.executable, "-m", "terrain.library.sandbox", *args],
            capture_output=True,
            timeout=_SECONDS,
            preexec_fn=_limits,
            cwd=str(settings.BASE_DIR),
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(settings.BASE_DIR), "LANG": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(False, error="timeout")
    if completed.returncode != 0:
        tail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return Outcome(False, error=f"exit {completed.returncode}: {tail[0][:200]}")
    return Outcome(True, output=completed.stdout.decode("utf-8", "replace"))


class _LocalCopy:
    """A path to the stored blob (its own when the storage has one, else a temporary copy)."""

    def __init__(self, field):
        self.field = field
        self.temporary = None

    def __enter__(self) -> str:
        try:
            return self.field.path
        except NotImplementedError:
            handle, path = tempfile.mkstemp()
            with os.fdopen(handle, "wb") as out, self.field.open("rb") as source:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    out.write(chunk)
            self.temporary = path
            return path

    def __exit__(self, *exc):
        if self.temporary:
            os.unlink(self.temporary)


def version_process(*, version_id: int) -> str:
    """Extract the text and draw the preview of one version; the file's statuses say how it went."""
    version = FileVersion.objects.select_related("file").filter(pk=version_id).first()
    if version is None or version.file.deleted_at is not None:
        return "gone"
    file = version.file
    current = file.current_version_id == version.pk
    updates: dict = {}
    with _LocalCopy(version.blob) as path:
        if extractable(version.mime_type):
            outcome = sandboxed("text", version.mime_type, path)
            if outcome.ok:
                version.extracted_text = outcome.output.replace("\x00", "")
                version.save(update_fields=["extracted_text"])
                updates.update(extraction_status=File.Status.DONE, extraction_message="")
            else:
                logger.warning("Text extraction of version %s failed: %s", version.pk, outcome.error)
                updates.update(
                    extraction_status=File.Status.FAILED,
                    extraction_message=_("The text of this file could not be read (%(why)s).")
                    % {"why": _("too long") if outcome.error == "timeout" else _("damaged or unusual file")},
                )
        if previewable(version.mime_type):
            with tempfile.TemporaryDirectory() as directory:
                target = os.path.join(directory, "preview.webp")
                outcome = sandboxed("preview", version.mime_type, path, target)
                if outcome.ok and os.path.exists(target):
                    width, height = (int(n) for n in outcome.output.split()[:2])
                    with open(target, "rb") as made:
                        version.preview.save("preview.webp", ContentFile(made.read()), save=False)
                    version.preview_width, version.preview_height = width, height
                    version.save(update_fields=["preview", "preview_width", "preview_height"])
                    updates["preview_status"] = File.Status.DONE
                else:
                    logger.warning("Preview of version %s failed: %s", version.pk, outcome.error)
                    updates["preview_status"] = File.Status.FAILED
    if current and updates:
        with transaction.atomic():
            File.objects.filter(pk=file.pk).update(**updates)
            file.refresh_from_db()
            search_index(kind="file", objects=[file])
    return "done"
