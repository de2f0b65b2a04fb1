"""Writes of the library: folders, uploads, versions, photo details, deletion, downloads.

An upload is stored in two steps that never leave half an entry behind: the checked bytes are
written to their final (opaque) name first, then the rows are created in one transaction; if
that transaction fails, the bytes are deleted at once, and if an outer transaction rolls back
later, ``blobs_purge`` (a periodic job) removes what no version points at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.library.checks import Checked, upload_check
from terrain.library.models import File, FileDownload, FileVersion, Folder, version_blob_path
from terrain.library.purge import PURGE_AFTER, files_purge  # noqa: F401 (re-exported)
from terrain.library.purge import blob_delete as _blob_delete
from terrain.library.selectors import photo_share_refusal
from terrain.search.services import search_index, search_remove

logger = logging.getLogger(__name__)

FILE_KIND = "file"
ATTACHMENTS_FOLDER_NAME = "Pièces jointes"


# --- Folders -------------------------------------------------------------------------------


def folder_create(*, cooperative, parent: Folder | None, name: str, by) -> Folder:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the folder a name.")})
    if parent is not None and parent.cooperative_id != cooperative.pk:
        raise ValidationError(_("This folder belongs to another cooperative."))
    return Folder.objects.create(cooperative=cooperative, parent=parent, name=name[:120], created_by=by)


def folder_rename(*, folder: Folder, name: str, by) -> Folder:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the folder a name.")})
    folder.name = name[:120]
    folder.save(update_fields=["name", "updated_at"])
    return folder


def folder_delete(*, folder: Folder, by) -> None:
    """Remove an empty folder (no live file, no sub-folder): nothing is ever deleted by surprise."""
    if folder.purpose:
        raise ValidationError(_("This folder is kept by the app and cannot be deleted."))
    if folder.children.exists() or folder.files.filter(deleted_at__isnull=True).exists():
        raise ValidationError(_("Empty the folder before deleting it."))
    with transaction.atomic():
        folder.files.update(folder=folder.parent)  # deleted files awaiting their purge
        folder.delete()


def attachments_folder(cooperative) -> Folder:
    """The cooperative's "Pièces jointes" folder, where files uploaded while writing a post go."""
    folder, _created = Folder.objects.get_or_create(
        cooperative=cooperative,
        purpose=Folder.Purpose.ATTACHMENTS,
        defaults={"name": ATTACHMENTS_FOLDER_NAME},
    )
    return folder


# --- Uploads and versions --------------------------------------------------------------------


def _blob_store(checked: Checked) -> str:
    """Write the checked bytes to their final name; returns that name."""
    checked.content.seek(0)
    return default_storage.save(version_blob_path(None, f"x.{checked.extension}"), checked.content)


def _stored(checked: Checked, create):
    """Store the bytes, then run ``create(blob_name)`` in a transaction; the bytes go if it fails."""
    blob_name = _blob_store(checked)
    try:
        with transaction.atomic():
            return create(blob_name)
    except BaseException:
        _blob_delete(blob_name)
        raise


def _version_new(*, file: File, checked: Checked, blob_name: str, by, number: int, restored_from=None) -> FileVersion:
    version = FileVersion(
        file=file,
        number=number,
        original_name=checked.name,
        size=checked.size,
        mime_type=checked.mime,
        sha256=checked.sha256,
        uploaded_by=by,
        restored_from=restored_from,
    )
    version.blob.name = blob_name
    version.save()
    return version


def _processing_queue(file: File, version: FileVersion) -> None:
    """After commit: the worker extracts the text and draws the preview."""
    from terrain.library.tasks import version_process_task

    version_id = version.pk
    transaction.on_commit(lambda: version_process_task.enqueue(version_id))


def _statuses_reset(file: File) -> None:
    from terrain.library.processing import extractable, previewable

    file.extraction_status = File.Status.PENDING if extractable(file.current_version.mime_type) else File.Status.NONE
    file.extraction_message = ""
    file.preview_status = File.Status.PENDING if previewable(file.current_version.mime_type) else File.Status.NONE


def file_upload(
    *, cooperative, folder: Folder | None, upload, by, name: str | None = None, record: bool = True
) -> File:
    """A new file in ``folder`` (None: the library's top) from ``upload``; ``ValidationError`` if refused."""
    if folder is not None and folder.cooperative_id != cooperative.pk:
        raise ValidationError(_("This folder belongs to another cooperative."))
    checked = upload_check(upload)
    display_name = (name or "").strip()[:255] or checked.name

    def create(blob_name: str) -> File:
        file = File.objects.create(
            cooperative=cooperative,
            folder=folder,
            name=display_name,
            kind=checked.kind,
            created_by=by,
            consent=File.Consent.NOT_NEEDED,
        )
        version = _version_new(file=file, checked=checked, blob_name=blob_name, by=by, number=1)
        file.current_version = version
        _statuses_reset(file)
        file.save()
        search_index(kind=FILE_KIND, objects=[file])
        if record:
            from terrain.feed.services import activity_record
            from terrain.library.feed_items import FILE_ADDED

            activity_record(cooperative=cooperative, actor=by, verb=FILE_ADDED, target=file)
        _processing_queue(file, version)
        return file

    return _stored(checked, create)


@dataclass
class UploadResult:
    name: str
    file: File | None = None
    error: str = ""


def files_upload(*, cooperative, folder: Folder | None, uploads, by) -> list[UploadResult]:
    """Several uploads at once: each accepted or refused on its own (one bad file spoils nothing)."""
    results = []
    for upload in uploads:
        try:
            results.append(
                UploadResult(
                    name=upload.name, file=file_upload(cooperative=cooperative, folder=folder, upload=upload, by=by)
                )
            )
        except ValidationError as error:
            results.append(UploadResult(name=upload.name, error=" ".join(error.messages)))
    return results


def file_add_version(*, file: File, upload, by) -> FileVersion:
    """New content for ``file``: of the same kind (a photo stays a photo)."""
    checked = upload_check(upload)
    if checked.kind != file.kind:
        raise ValidationError(
            _("A new version must be of the same kind as the file (%(kind)s).") % {"kind": file.get_kind_display()}
        )

    def create(blob_name: str) -> FileVersion:
        locked = File.objects.select_for_update().get(pk=file.pk)
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = _version_new(file=locked, checked=checked, blob_name=blob_name, by=by, number=number)
        locked.current_version = version
        _statuses_reset(locked)
        locked.save()
        search_index(kind=FILE_KIND, objects=[locked])
        _processing_queue(locked, version)
        file.current_version = version
        return version

    return _stored(checked, create)


def version_restore(*, version: FileVersion, by) -> FileVersion:
    """Make an older version current again: a new version, a copy of it (the history only grows)."""
    file = version.file
    with version.blob.open("rb") as source:
        from django.core.files.base import ContentFile

        content = ContentFile(source.read())
    checked = Checked(
        content=content,
        name=version.original_name,
        extension=version.blob.name.rsplit(".", 1)[-1],
        kind=file.kind,
        mime=version.mime_type,
        size=version.size,
        sha256=version.sha256,
    )

    def create(blob_name: str) -> FileVersion:
        locked = File.objects.select_for_update().get(pk=file.pk)
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        new = _version_new(
            file=locked, checked=checked, blob_name=blob_name, by=by, number=number, restored_from=version
        )
        new.extracted_text = version.extracted_text
        new.save(update_fields=["extracted_text"])
        locked.current_version = new
        _statuses_reset(locked)
        locked.save()
        search_index(kind=FILE_KIND, objects=[locked])
        _processing_queue(locked, new)
        return new

    return _stored(checked, create)


def file_rename(*, file: File, name: str, folder: Folder | None, by) -> File:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the file a name.")})
    if folder is not None and folder.cooperative_id != file.cooperative_id:
        raise ValidationError({"folder": _("This folder belongs to another cooperative.")})
    with transaction.atomic():
        file.name = name[:255]
        file.folder = folder
        file.save(update_fields=["name", "folder", "updated_at"])
        search_index(kind=FILE_KIND, objects=[file])
    return file


# What other apps made of a library file (a tract) is told when the file is removed, in the same
# transaction: ``on_file_removed(callback)``, ``callback(file=...)``. The library imports none of them.
_FILE_REMOVED: list[Callable[..., object]] = []


def on_file_removed(callback: Callable[..., object]) -> Callable[..., object]:
    """Call ``callback(file=...)`` whenever a library file is removed (usable as a decorator)."""
    if callback not in _FILE_REMOVED:
        _FILE_REMOVED.append(callback)
    return callback


def file_delete(*, file: File, by) -> None:
    """Gone from the library and the search at once, and from whatever was made of it
    (``on_file_removed``); its bytes are purged later (``files_purge``)."""
    with transaction.atomic():
        file.deleted_at = timezone.now()
        file.deleted_by = by
        file.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        search_remove(kind=FILE_KIND, ids=[file.pk])
        for callback in _FILE_REMOVED:
            callback(file=file)


# --- Photothèque -----------------------------------------------------------------------------


def photo_update(*, file: File, credit: str, taken_on, place: str, identifiable_people: bool, consent: str, by) -> File:
    if file.kind != File.Kind.IMAGE:
        raise ValidationError(_("Only images have photo details."))
    if consent not in File.Consent.values:
        raise ValidationError({"consent": _("Choose a consent status.")})
    if identifiable_people and consent == File.Consent.NOT_NEEDED:
        consent = File.Consent.PENDING
    if not identifiable_people:
        consent = File.Consent.NOT_NEEDED
    with transaction.atomic():
        if consent != file.consent:
            file.consent_marked_by = by
            file.consent_marked_at = timezone.now()
        file.credit = (credit or "").strip()[:200]
        file.taken_on = taken_on
        file.place = (place or "").strip()[:200]
        file.identifiable_people = identifiable_people
        file.consent = consent
        file.save()
    return file


def file_share_check(*, file: File, to_cooperative=None, outside: bool = False) -> None:
    """Refuse (``ValidationError``) to take ``file`` outside its cooperative (another cooperative,
    the workshop's networks) while it is a photo of identifiable people without their consent.
    The tractothèque and the workshop call this before sharing a library file."""
    leaving = outside or (to_cooperative is not None and to_cooperative.pk != file.cooperative_id)
    if leaving:
        reason = photo_share_refusal(file)
        if reason:
            raise ValidationError(reason, code="consent")


# --- Attachments -----------------------------------------------------------------------------


def attachable_check(*, cooperative, files) -> list[File]:
    """``files`` if each may be attached to something written in ``cooperative`` (a post, a
    forum topic); else ``ValidationError``. Reused by every app that attaches library files."""
    files = list(files)
    for file in files:
        if file.cooperative_id != cooperative.pk or file.deleted_at is not None:
            raise ValidationError(_("This file is not in this cooperative's library."))
        file_share_check(file=file, to_cooperative=cooperative)
    return files


def attachments_set(*, post, files, by) -> None:
    """The library files shown under ``post``: its cooperative's files only."""
    post.attachments.set(attachable_check(cooperative=post.cooperative, files=files))


# --- Downloads -------------------------------------------------------------------------------


def download_record(*, file: File, version: FileVersion, user, cooperative=None) -> FileDownload:
    """One download: the count, and who (the tractothèque shows it to the structure)."""
    File.objects.filter(pk=file.pk).update(download_count=F("download_count") + 1)
    return FileDownload.objects.create(
        file=file, version=version, user=user, cooperative=cooperative or file.cooperative
    )
