"""Reads of the templates, for a viewer already let in (``access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from terrain.modeles.models import DocumentTemplate


def templates_of(cooperative) -> QuerySet[DocumentTemplate]:
    """A cooperative's templates, by name; the list needs no other table."""
    return DocumentTemplate.objects.filter(cooperative=cooperative).order_by("name", "id")
