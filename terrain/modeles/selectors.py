"""Reads of the templates, for a viewer already let in (``access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from terrain.modeles.models import DocumentTemplate


def templates_of(cooperative) -> QuerySet[DocumentTemplate]:
    """A cooperative's templates, by name; the list needs no other table."""
    return DocumentTemplate.objects.filter(cooperative=cooperative).order_by("name", "id")


def templates_offered_to(cooperative) -> QuerySet[DocumentTemplate]:
    """The templates the structures above this cooperative's structure offer to it (none for an
    open cooperative), with the cooperative (and structure) that offers each."""
    structure = cooperative.structure
    if structure is None or not structure.ancestor_ids():
        return DocumentTemplate.objects.none()
    return (
        DocumentTemplate.objects.filter(offered_below=True, cooperative__structure_id__in=structure.ancestor_ids())
        .select_related("cooperative__structure")
        .order_by("name", "id")
    )
