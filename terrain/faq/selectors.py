"""Reads of the FAQ, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from terrain.cooperatives.access import cooperative_access
from terrain.cooperatives.models import Cooperative
from terrain.faq.models import Entry, HiddenEntry, Proposal, Theme


def _live_entries() -> QuerySet[Entry]:
    return Entry.objects.filter(deleted_at__isnull=True)


def themes_with_entries(cooperative: Cooperative) -> list[Theme]:
    """The cooperative's themes in order, each with its live entries in order (``theme.live``)."""
    return list(
        Theme.objects.filter(cooperative=cooperative).prefetch_related(
            Prefetch("entries", queryset=_live_entries().order_by("position", "id"), to_attr="live")
        )
    )


def offered_entries_for(cooperative: Cooperative, *, with_hidden: bool = False) -> QuerySet[Entry]:
    """Entries offered to ``cooperative`` by the cooperatives of the structures above its structure,
    live (the source's edits show at once); those it hid left out unless ``with_hidden`` (each
    carries ``is_hidden``). Ordered by source (top of the tree first), then theme and position."""
    structure = cooperative.structure if cooperative.structure_id else None
    if structure is None or not structure.ancestor_ids():
        return Entry.objects.none()
    entries = (
        _live_entries()
        .filter(offered_at__isnull=False, cooperative__structure_id__in=structure.ancestor_ids())
        .annotate(is_hidden=Exists(HiddenEntry.objects.filter(entry=OuterRef("pk"), cooperative=cooperative)))
        .select_related("cooperative__structure", "theme")
        .order_by("cooperative__structure__depth", "cooperative_id", "theme__position", "theme_id", "position", "id")
    )
    if not with_hidden:
        entries = entries.filter(is_hidden=False)
    return entries


def faq_entries_visible_in(cooperative: Cooperative, user) -> QuerySet[Entry]:
    """Every entry ``user`` reads in ``cooperative``'s FAQ: its own live entries and those offered to
    it from above (not hidden there). Nothing for someone who is not a member."""
    if not cooperative_access(user=user, cooperative=cooperative).can_read:
        return Entry.objects.none()
    offered = Q(pk__in=[])
    if cooperative.structure_id is not None and cooperative.structure.ancestor_ids():
        offered = Q(offered_at__isnull=False, cooperative__structure_id__in=cooperative.structure.ancestor_ids()) & ~Q(
            Exists(HiddenEntry.objects.filter(entry=OuterRef("pk"), cooperative=cooperative))
        )
    return (
        _live_entries()
        .filter(Q(cooperative=cooperative) | offered)
        .select_related("cooperative__structure", "theme")
        .order_by("cooperative__structure__depth", "theme__position", "position", "id")
    )


@dataclass
class OfferedGroup:
    """The entries offered by one cooperative above, by theme."""

    source: Cooperative
    themes: list[tuple[Theme, list[Entry]]] = field(default_factory=list)


def offered_groups(cooperative: Cooperative, *, with_hidden: bool = False) -> list[OfferedGroup]:
    groups: dict[int, OfferedGroup] = {}
    for entry in offered_entries_for(cooperative, with_hidden=with_hidden):
        group = groups.setdefault(entry.cooperative_id, OfferedGroup(source=entry.cooperative))
        if not group.themes or group.themes[-1][0].pk != entry.theme_id:
            group.themes.append((entry.theme, []))
        group.themes[-1][1].append(entry)
    return list(groups.values())


def pending_proposals(cooperative: Cooperative) -> QuerySet[Proposal]:
    return Proposal.objects.filter(cooperative=cooperative, status=Proposal.Status.PENDING).select_related(
        "proposed_by"
    )


def proposals_of(cooperative: Cooperative, user) -> QuerySet[Proposal]:
    """The questions ``user`` proposed here, newest first, to follow what became of them."""
    return (
        Proposal.objects.filter(cooperative=cooperative, proposed_by=user)
        .select_related("entry")
        .order_by("-created_at")[:20]
    )
