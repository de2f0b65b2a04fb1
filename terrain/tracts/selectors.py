"""Reads of the tractothèque, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as Date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from terrain.cooperatives.access import CooperativeAccess
from terrain.cooperatives.models import Cooperative
from terrain.library.models import File, FileDownload
from terrain.structures.models import Structure
from terrain.tracts.models import Tract, TractOffer, TractReuse, TractTheme
from terrain.tracts.themes import instance_themes, theme_key


@dataclass(frozen=True)
class TractFilters:
    theme: str = ""  # a folded key
    start: Date | None = None
    end: Date | None = None
    structure: str = ""  # a structure's code


def _accepted(cooperative: Cooperative) -> QuerySet[TractOffer]:
    return TractOffer.objects.filter(tract=OuterRef("pk"), cooperative=cooperative, status=TractOffer.Status.ACCEPTED)


def _in_library(cooperative: Cooperative) -> Q:
    return Q(cooperative=cooperative) | Q(Exists(_accepted(cooperative)))


def tracts_in(access: CooperativeAccess, filters: TractFilters | None = None) -> QuerySet[Tract]:
    """The tracts of the cooperative's tractothèque: its own and those it accepted (each marked by
    its ``cooperative``, the source), newest first, with what their cards show. Each carries
    ``view_code``, the code of its pages in this cooperative (the offer's for an accepted one)."""
    cooperative = access.cooperative
    qs = Tract.objects.filter(_in_library(cooperative), file__deleted_at__isnull=True)
    filters = filters or TractFilters()
    if filters.theme:
        qs = qs.filter(Exists(TractTheme.objects.filter(tract=OuterRef("pk"), key=filters.theme)))
    if filters.start:
        qs = qs.filter(date__gte=filters.start)
    if filters.end:
        qs = qs.filter(date__lte=filters.end)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return (
        qs.select_related("cooperative", "structure", "file__current_version")
        .annotate(view_code=Coalesce(Subquery(_accepted(cooperative).values("code")[:1]), F("code")))
        .order_by("-date", "-created_at", "-id")
    )


def filter_choices(access: CooperativeAccess) -> tuple[list[tuple[str, str]], list[Structure]]:
    """The themes (key, label) and the structures the filters of a tractothèque offer: the
    instance's themes and those used here; the structures its tracts are from."""
    cooperative = access.cooperative
    rows = Tract.objects.filter(_in_library(cooperative), file__deleted_at__isnull=True).values_list(
        "themes_text", "structure_id"
    )
    themes = {theme_key(t): t for t in instance_themes()}
    structure_ids = set()
    for text, structure_id in rows:
        for label in text.splitlines():
            themes.setdefault(theme_key(label), label)
        if structure_id:
            structure_ids.add(structure_id)
    structures = list(Structure.objects.filter(pk__in=structure_ids).order_by("depth", "name"))
    return sorted(themes.items(), key=lambda kv: kv[0]), structures


def offers_for(access: CooperativeAccess) -> list[TractOffer]:
    """The offers of tracts made to the cooperative by the structures above it, newest first,
    with their tracts (a tract whose file left the library is left out)."""
    return list(
        TractOffer.objects.filter(cooperative=access.cooperative, tract__file__deleted_at__isnull=True)
        .select_related("tract__cooperative", "tract__structure", "tract__file__current_version")
        .order_by("-offered_at", "-id")
    )


def offers_waiting(access: CooperativeAccess) -> int:
    return TractOffer.objects.filter(
        cooperative=access.cooperative, status=TractOffer.Status.OFFERED, tract__file__deleted_at__isnull=True
    ).count()


def library_files_for_tracts(cooperative: Cooperative) -> QuerySet[File]:
    """The files of the cooperative's library a tract can be made of (documents and images)."""
    return (
        File.objects.filter(
            cooperative=cooperative,
            deleted_at__isnull=True,
            kind__in=[File.Kind.DOCUMENT, File.Kind.IMAGE],
        )
        .only("id", "code", "name", "kind")
        .order_by("-created_at", "-id")
    )


@dataclass
class CooperativeUse:
    """What one cooperative did with a tract: counts only, never who."""

    cooperative: Cooperative
    structure_name: str
    status: str = ""  # the offer's status ("" for the source)
    downloads: int = 0
    reuses: dict[str, int] = field(default_factory=dict)

    @property
    def reuse_total(self) -> int:
        return sum(self.reuses.values())

    @property
    def reuse_lines(self) -> list[tuple[str, int]]:
        labels = dict(TractReuse.Kind.choices)
        return [(labels.get(kind, kind), n) for kind, n in sorted(self.reuses.items())]


@dataclass
class TractUse:
    rows: list[CooperativeUse]
    offered: int
    accepted: int
    declined: int
    downloads: int
    reuses: int


def tract_use(tract: Tract) -> TractUse:
    """For the source's facilitators: per cooperative (the source and those offered it), the
    downloads, the decision and the reuses, in counts. Four queries."""
    offers = list(
        TractOffer.objects.filter(tract=tract).select_related("cooperative__structure").order_by("cooperative__name")
    )
    rows: dict[int, CooperativeUse] = {}
    source = tract.cooperative
    rows[source.pk] = CooperativeUse(source, source.structure.name if source.structure_id else source.name)
    for offer in offers:
        coop = offer.cooperative
        rows[coop.pk] = CooperativeUse(coop, coop.structure.name if coop.structure_id else coop.name, offer.status)
    downloads = (
        FileDownload.objects.filter(file_id=tract.file_id, cooperative__isnull=False)
        .values("cooperative_id")
        .annotate(n=Count("id"))
    )
    extra: set[int] = set()
    for row in downloads:
        if row["cooperative_id"] in rows:
            rows[row["cooperative_id"]].downloads = row["n"]
        else:
            extra.add(row["cooperative_id"])
    reuses: dict[int, dict[str, int]] = defaultdict(dict)
    for row in TractReuse.objects.filter(tract=tract).values("cooperative_id", "kind").annotate(n=Count("id")):
        reuses[row["cooperative_id"]][row["kind"]] = row["n"]
    for coop_id, counts in reuses.items():
        if coop_id in rows:
            rows[coop_id].reuses = counts
    ordered = [
        rows[source.pk],
        *sorted((r for pk, r in rows.items() if pk != source.pk), key=lambda r: r.structure_name),
    ]
    status = [o.status for o in offers]
    return TractUse(
        rows=ordered,
        offered=len(offers),
        accepted=status.count(TractOffer.Status.ACCEPTED),
        declined=status.count(TractOffer.Status.DECLINED),
        downloads=sum(r.downloads for r in ordered),
        reuses=sum(r.reuse_total for r in ordered),
    )


def my_reuses(tract: Tract, *, cooperative: Cooperative) -> dict[str, int]:
    """How often this cooperative said it reused the tract, by kind."""
    return dict(
        TractReuse.objects.filter(tract=tract, cooperative=cooperative)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
