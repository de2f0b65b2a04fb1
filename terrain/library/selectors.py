"""Reads of the library. Each takes what the viewer may see (an access) and never more."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from terrain.library.models import File, FileVersion, Folder


def photo_shareable(file: File) -> bool:
    """May this file leave its cooperative (another cooperative, the workshop's networks)?"""
    return photo_share_refusal(file) is None


def photo_share_refusal(file: File) -> str | None:
    """Why ``file`` may not leave its cooperative, or None."""
    if file.kind == File.Kind.IMAGE and file.identifiable_people and file.consent != File.Consent.OBTAINED:
        if file.consent == File.Consent.REFUSED:
            return _("People can be identified on this photo and they refused: it stays inside the cooperative.")
        return _(
            "People can be identified on this photo and their consent is not marked: "
            "it cannot be shared outside the cooperative until it is."
        )
    return None


def _live(cooperative):
    return File.objects.filter(cooperative=cooperative, deleted_at__isnull=True).select_related(
        "current_version", "created_by"
    )


def folder_contents(*, cooperative, folder: Folder | None) -> tuple[list[Folder], QuerySet[File]]:
    """The folders in ``folder`` (all) and its files, by name: a query for the page to cut."""
    folders = list(Folder.objects.filter(cooperative=cooperative, parent=folder).order_by("name", "id"))
    files = _live(cooperative).filter(folder=folder).order_by("name", "id")
    return folders, files


def folder_path(folder: Folder | None) -> list[Folder]:
    """The folders from the top down to ``folder`` (a breadcrumb)."""
    path = []
    seen = set()
    while folder is not None and folder.pk not in seen:
        seen.add(folder.pk)
        path.append(folder)
        folder = folder.parent
    return list(reversed(path))


def folders_of(cooperative) -> list[Folder]:
    return list(Folder.objects.filter(cooperative=cooperative).order_by("name", "id"))


def photos_of(*, cooperative) -> list[File]:
    return list(
        _live(cooperative)
        .filter(kind=File.Kind.IMAGE)
        .select_related("consent_marked_by")
        .order_by("-created_at", "-id")
    )


def versions_of(file: File) -> list[FileVersion]:
    return list(file.versions.select_related("uploaded_by").order_by("-number"))


def files_attachable_by(user, cooperative) -> list[File]:
    """The files ``user`` may attach to a post or a topic in ``cooperative`` (its library's files)."""
    from terrain.cooperatives.access import cooperative_access

    if not cooperative_access(user=user, cooperative=cooperative).can_post or not cooperative.tool_on("library"):
        return []
    return list(_live(cooperative).order_by("name", "id")[:500])


def attachments_by(relation, ids) -> dict[int, list[File]]:
    """The live files attached to many objects at once (one query), for a page of them.

    ``relation`` is the many-to-many to ``File`` as read on its model (``Post.attachments``,
    ``Topic.attachments``); gives ``{object id: [files by name]}``. Deleted files are left out."""
    through = relation.through
    source = relation.field.m2m_field_name()
    rows = (
        through.objects.filter(**{f"{source}_id__in": list(ids)}, file__deleted_at__isnull=True)
        .select_related("file__current_version")
        .order_by("file__name", "file_id")
    )
    found: dict[int, list[File]] = {}
    for row in rows:
        found.setdefault(getattr(row, f"{source}_id"), []).append(row.file)
    return found


def attachments_by_post(post_ids) -> dict[int, list[File]]:
    """The attached files of many posts at once (one query), for a page of cards."""
    from terrain.news.models import Post

    return attachments_by(Post.attachments, post_ids)
