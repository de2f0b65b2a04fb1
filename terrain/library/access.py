"""Who may see, change or delete a folder or a file of a library. Every view goes through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.library.models import File, FileVersion, Folder
from terrain.library.tools import LIBRARY


@dataclass(frozen=True)
class FileAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    file: File
    cooperative: CooperativeAccess
    user_id: int

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def is_author(self) -> bool:
        return self.file.created_by_id == self.user_id

    @property
    def can_edit(self) -> bool:
        # Members keep their library together: any member adds versions and photo details.
        return self.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return (self.is_author and self.cooperative.can_post) or self.cooperative.can_animate


def get_file_for(request, code: str, *, need: Need | str = Need.READ) -> FileAccess:
    """The file named by ``code`` if the viewer may read it; 404 otherwise (hides existence)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    file = (
        File.objects.select_related("cooperative", "current_version", "created_by", "folder")
        .filter(code=code, deleted_at__isnull=True)
        .first()
    )
    if file is None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=file.cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(LIBRARY)
    return FileAccess(file=file, cooperative=coop, user_id=request.user.pk).require(need)


def get_version_for(request, code: str, *, need: Need | str = Need.READ) -> tuple[FileVersion, FileAccess]:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    version = FileVersion.objects.select_related("file").filter(code=code).first()
    if version is None:
        raise Http404
    access = get_file_for(request, version.file.code, need=need)
    version.file = access.file
    return version, access


@dataclass(frozen=True)
class FolderAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    folder: Folder
    cooperative: CooperativeAccess
    user_id: int

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_edit(self) -> bool:
        return self.cooperative.can_post

    @property
    def can_delete(self) -> bool:
        return self.cooperative.can_animate or (self.folder.created_by_id == self.user_id and self.cooperative.can_post)


def get_folder_for(request, code: str, *, need: Need | str = Need.READ) -> FolderAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    folder = Folder.objects.select_related("cooperative", "parent").filter(code=code).first()
    if folder is None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=folder.cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(LIBRARY)
    return FolderAccess(folder=folder, cooperative=coop, user_id=request.user.pk).require(need)
