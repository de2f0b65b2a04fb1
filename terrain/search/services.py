"""Writes of the search index. Called by every app's services after their own writes, in the
same transaction: what is saved is findable, what is removed is gone, at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from terrain.search import backends
from terrain.search.models import SearchDocument
from terrain.search.registry import kind_of

# The body is cut here: a 300-page PDF is found by its first pages' words, and stays cheap to index.
BODY_LIMIT = 200_000


@transaction.atomic
def search_index(*, kind: str, objects: Iterable) -> int:
    """(Re)index ``objects`` of the registered ``kind``; an object whose document is None is
    removed from the index. Returns how many documents are stored."""
    search_kind = kind_of(kind)
    if search_kind is None:
        raise LookupError(f"No search kind {kind!r} is registered.")
    stored: list[SearchDocument] = []
    gone = []
    for obj in objects:
        document = search_kind.document(obj)
        if document is None:
            gone.append(obj.pk)
            continue
        row, _created = SearchDocument.objects.update_or_create(
            kind=kind,
            object_id=obj.pk,
            defaults={
                "cooperative_id": document.cooperative_id,
                "tool": search_kind.tool or "",
                "title": document.title[:300],
                "body": document.body[:BODY_LIMIT],
                "url": document.url,
                "author_id": document.author_id,
                "created_at": document.created_at,
            },
        )
        stored.append(row)
    backends.index_rows(
        [
            backends.Row(
                id=d.pk,
                cooperative_id=d.cooperative_id,
                kind=d.kind,
                title=d.title,
                body=d.body,
                created_at=d.created_at,
            )
            for d in stored
        ]
    )
    if gone:
        search_remove(kind=kind, ids=gone)
    return len(stored)


@transaction.atomic
def search_remove(*, kind: str, ids: Iterable[int]) -> int:
    """Take the objects ``ids`` of ``kind`` out of the index."""
    documents = SearchDocument.objects.filter(kind=kind, object_id__in=list(ids))
    backends.remove_ids(list(documents.values_list("pk", flat=True)))
    return documents.delete()[0]
