"""What the search finds: a registry of kinds of documents that every app fills with its own.

A kind says its ``key`` (short, stored with each document), its ``label`` (the filter "Forum
topics"), the cooperative ``tool`` it belongs to (``cooperatives.tools``: its documents are never
shown where that tool is off), its ``model``, and how to turn one object into a ``Document``
(``document``: None when the object must not be found, e.g. deleted). An app registers its kinds
in a ``search_documents.py`` module (found at start-up)::

    from terrain.search.registry import Document, SearchKind, register

    def _entry_document(entry) -> Document | None:
        if entry.deleted_at:
            return None
        return Document(cooperative_id=entry.cooperative_id, title=entry.question, body=entry.answer_text,
                        url=reverse("faq:entry", args=[entry.code]), created_at=entry.created_at,
                        author_id=entry.author_id)

    register(SearchKind(key="faq", label=_("FAQ entries"), tool="faq", model=Entry, document=_entry_document))

and its services call ``search.services.search_index(kind="faq", objects=[entry])`` after each
write (in the same transaction: a removed object disappears from the search at once) and
``search_remove(kind="faq", ids=[...])`` when objects are deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model
from django.utils.functional import Promise

KEY_LENGTH = 16


@dataclass(frozen=True)
class Document:
    """What the search stores of one object: plain text (no HTML), where it lives and leads."""

    cooperative_id: int
    title: str
    body: str
    url: str
    created_at: datetime
    author_id: int | None = None


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str | Promise
    model: type[Model]
    document: Callable[[Model], Document | None]
    tool: str | None = None
    # Order of the kinds in the filters.
    order: int = 100


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"The search kind {kind.key!r} is registered already.")
    if not (kind.key.isascii() and kind.key.isalnum() and kind.key.islower()):
        # It becomes a token of the full-text index (``search.backends.access_token``).
        raise ValueError(f"The search kind {kind.key!r} must be lower-case letters and digits.")
    if len(kind.key) > KEY_LENGTH:
        raise ValueError(f"The search kind {kind.key!r} is longer than {KEY_LENGTH} characters.")
    _KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Remove a kind (for tests)."""
    _KINDS.pop(key, None)


def kind_of(key: str) -> SearchKind | None:
    return _KINDS.get(key)


def kinds() -> list[SearchKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))
