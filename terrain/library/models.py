"""The library of a cooperative: folders, files, their versions and who downloaded them.

A file's bytes live in ``FileVersion.blob`` under an opaque name in the private
media storage (never served directly: ``library.views`` streams them after the
access check). A ``File`` is the stable thing people link to (attachments,
tracts); each upload of new content adds a ``FileVersion`` and moves
``File.current_version``. Photo metadata (credit, place, consent) sits on the
file itself: only images use it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terrain.core.models import CodeField, TimeStamped
from terrain.lib.codes import new_code


def version_blob_path(instance, filename: str) -> str:
    """An opaque name: nothing of the uploaded name (which may be personal) reaches the disk."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    code = new_code()
    return f"library/{code[:2]}/{code}.{ext[:8]}"


def version_preview_path(instance, filename: str) -> str:
    code = new_code()
    return f"library/previews/{code[:2]}/{code}.webp"


class Folder(TimeStamped):
    class Purpose(models.TextChoices):
        NONE = "", _("ordinary folder")
        ATTACHMENTS = "attachments", _("attachments")

    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="folders")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField(_("name"), max_length=120)
    # A folder the app itself keeps (the files uploaded while writing a post).
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "purpose"],
                condition=~Q(purpose=""),
                name="library_folder_one_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return self.name


class File(TimeStamped):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("document")
        IMAGE = "image", _("image")
        AUDIO = "audio", _("audio")
        VIDEO = "video", _("video")

    class Status(models.TextChoices):
        """Where the worker is with the text extraction or the preview of the current version."""

        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        NONE = "none", _("not applicable")

    class Consent(models.TextChoices):
        NOT_NEEDED = "not_needed", _("not needed")
        PENDING = "pending", _("pending")
        OBTAINED = "obtained", _("obtained")
        REFUSED = "refused", _("refused")

    code = CodeField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="files")
    folder = models.ForeignKey(Folder, on_delete=models.SET_NULL, null=True, blank=True, related_name="files")
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    current_version = models.ForeignKey(
        "FileVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    download_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="library_files"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    extraction_status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    extraction_message = models.CharField(max_length=300, blank=True)
    preview_status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    # Photothèque (images only).
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    identifiable_people = models.BooleanField(_("people can be identified"), default=False)
    consent = models.CharField(_("consent"), max_length=12, choices=Consent.choices, default=Consent.NOT_NEEDED)
    consent_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["cooperative", "folder", "name"]),
            models.Index(fields=["cooperative", "kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class FileVersion(models.Model):
    code = CodeField()
    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.FileField(upload_to=version_blob_path, max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    mime_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the worker (``library.tasks``): plain text, for the search.
    extracted_text = models.TextField(blank=True)
    preview = models.FileField(upload_to=version_preview_path, max_length=200, blank=True)
    preview_width = models.PositiveIntegerField(default=0)
    preview_height = models.PositiveIntegerField(default=0)
    # The version this one restored (a restore copies an older version as a new one).
    restored_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="library_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.file_id} v{self.number}"


class FileDownload(models.Model):
    """One download by one person: the counts, and "who downloaded it" for the tractothèque."""

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(FileVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["file", "-at"])]
