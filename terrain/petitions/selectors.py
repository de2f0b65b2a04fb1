"""Reads of the petitions."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from terrain.lib.sql import Statement, in_ids
from terrain.petitions.models import Petition, Signature
from terrain.structures.models import Structure

COMMENTS_SHOWN = 10


def public_petitions(structure: Structure) -> QuerySet[Petition]:
    """What a structure's site shows: open then closed petitions, newest first; never drafts."""
    return Petition.objects.filter(
        structure=structure, state__in=[Petition.State.OPEN, Petition.State.CLOSED]
    ).order_by("-state", "-opened_at", "-id")  # "open" after "closed" in the alphabet: open ones first


def open_petitions(structure: Structure) -> QuerySet[Petition]:
    return Petition.objects.filter(structure=structure, state=Petition.State.OPEN).order_by("-opened_at", "-id")


def open_petitions_statement(connection, structure_ids: list[int], now=None) -> Statement:
    """``(structure id, title, signatures)`` of the open petitions of several structures, newest
    first: the locator's cards (``registry.LocatorFacts``), in plain SQL."""
    table, quote = Petition._meta.db_table, connection.ops.quote_name
    where, params = in_ids(connection, "p.structure_id", structure_ids)
    sql = (
        f"SELECT p.structure_id, p.title, p.signature_count FROM {quote(table)} p"  # noqa: S608 (names from _meta)
        f" WHERE {where} AND p.state = %s ORDER BY p.opened_at DESC, p.id DESC"
    )
    return sql, [*params, Petition.State.OPEN.value]


def public_comments(petition: Petition, *, limit: int = COMMENTS_SHOWN) -> list[Signature]:
    """The latest comments of confirmed signers who chose to show their name (only their name and words)."""
    return list(
        Signature.objects.filter(petition=petition, confirmed_at__isnull=False, show_name=True)
        .exclude(comment="")
        .only("first_name", "last_name", "comment", "confirmed_at")
        .order_by("-confirmed_at", "-id")[:limit]
    )


def petitions_for_officials(structure: Structure) -> QuerySet[Petition]:
    """Every petition of the structure with its pending signatures counted (the confirmed are on the row)."""
    return (
        Petition.objects.filter(structure=structure)
        .annotate(pending=Count("signatures", filter=Q(signatures__confirmed_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def confirmed_signatures(petition: Petition) -> QuerySet[Signature]:
    """For the delivery export: confirmed signatures, oldest first, without the addresses."""
    return (
        Signature.objects.filter(petition=petition, confirmed_at__isnull=False)
        .order_by("confirmed_at", "id")
        .values_list("first_name", "last_name", "postal_code", "confirmed_at", "comment")
    )


def pending_count(petition: Petition) -> int:
    """Signatures waiting for their confirmation (they do not count yet)."""
    return Signature.objects.filter(petition=petition, confirmed_at__isnull=True).count()
