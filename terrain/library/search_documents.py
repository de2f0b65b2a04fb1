"""The library's files in the search (``search.registry``): their name and the text inside."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.library.models import File
from terrain.library.tools import LIBRARY
from terrain.search.registry import Document, SearchKind, register


def _file_document(file: File) -> Document | None:
    if file.deleted_at is not None:
        return None
    version = file.current_version
    return Document(
        cooperative_id=file.cooperative_id,
        title=file.name,
        body=version.extracted_text if version is not None else "",
        url=reverse("library:file", args=[file.code]),
        created_at=file.created_at,
        author_id=file.created_by_id,
    )


register(SearchKind(key="file", label=_("Files"), tool=LIBRARY, model=File, document=_file_document, order=60))
