"""Reads of the places: communes by name or postal code, and the structures nearest a point."""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, When

from terrain.lib.rows import Table, joined
from terrain.lib.sql import in_ids, rows_together
from terrain.places.models import Commune, PostalCode
from terrain.places.text import search_key
from terrain.public.models import Site
from terrain.structures.models import Structure

SUGGESTIONS = 8
EARTH_KM = 6371.0088
KM_PER_DEGREE = 111.32
# What a locator card shows of a site (its long texts stay in the database).
CARD_FIELDS = (
    "code",
    "slug",
    "published",
    "updated_at",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "email",
    "phone",
    "hours",
    "structure__code",
    "structure__name",
    "structure__kind",
    "structure__path",
)
# The boxes tried in turn before reading the nearest by a flat approximation.
RADII_KM = (15.0, 50.0, 200.0, 600.0)
_POSTAL = re.compile(r"^\d{1,5}$")
_POSTAL_THEN_NAME = re.compile(r"^(\d{5})\s+(.+)$")


@dataclass
class CommuneSearch:
    """What a visitor's words found: the place to search around, if one stands out, and suggestions."""

    query: str
    communes: list[Commune] = field(default_factory=list)
    chosen: Commune | None = None
    # Nothing matched as typed: the suggestions are neighbours (codes) or look-alikes (names).
    unknown_postal_code: str = ""
    unknown_name: str = ""

    @property
    def others(self) -> list[Commune]:
        return [commune for commune in self.communes if commune is not self.chosen]


def _starts_with(field: str, prefix: str) -> Q:
    """``field`` begins with ``prefix`` (lowercase ASCII, as keys and postal codes are), through its index.

    SQLite's LIKE ignores case, so it cannot use the index: a range of the binary order does
    (nothing in a key sorts after "~"). PostgreSQL's LIKE uses its ``varchar_pattern_ops``
    index, and a range would follow the database's collation, which may skip spaces.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "~"})
    return Q(**{f"{field}__startswith": prefix})


def _by_postal_code(prefix: str, *, limit: int) -> list[Commune]:
    """Communes with a postal code beginning with ``prefix`` (digits), the exact code first, then
    the most populated: in plain SQL, as the locator's page asks it on every search (CONTRIBUTING,
    "Hot reads"); the prefix through the code's index as ``_starts_with`` explains."""
    select = joined(connection, Table(Commune, "c"))
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        starts, bounds = "pc.code >= %s AND pc.code < %s", [prefix, prefix + "~"]
    else:
        starts, bounds = "pc.code LIKE %s", [prefix + "%"]  # digits only: nothing to escape
    sql = (
        f"SELECT {select.columns}, MAX(CASE WHEN pc.code = %s THEN 1 ELSE 0 END) AS exact"  # noqa: S608 (names from _meta)
        f" FROM {quote(Commune._meta.db_table)} c JOIN {quote(PostalCode._meta.db_table)} pc ON pc.commune_id = c.id"
        f" WHERE {starts} GROUP BY c.id ORDER BY exact DESC, c.population DESC, c.name LIMIT %s"
    )
    rows = rows_together(connection, [(sql, [prefix, *bounds, limit])])[0]
    return [commune for (commune,) in select.instances(rows)]


def _near_postal_codes(code: str, *, limit: int) -> list[Commune]:
    """Communes of the postal codes numerically nearest an unknown one, in its département first."""
    for width in (3, 2, 1):
        codes = set(PostalCode.objects.filter(_starts_with("code", code[:width])).values_list("code", flat=True))
        if codes:
            nearest = sorted(codes, key=lambda other: (abs(int(other) - int(code)), other))[:limit]
            communes = {c.pk: c for c in Commune.objects.filter(postal_code_rows__code__in=nearest).distinct()}
            rank = {other: i for i, other in enumerate(nearest)}
            return sorted(
                communes.values(),
                key=lambda c: (min(rank.get(p, limit) for p in c.postal_codes.split()), -c.population),
            )[:limit]
    return []


def _named(key: str, candidates: QuerySet[Commune], *, limit: int) -> list[Commune]:
    exact = Q(key=key) | Q(bare_key=key)
    found = list(
        candidates.filter(_starts_with("key", key) | _starts_with("bare_key", key))
        .annotate(exact=Case(When(exact, then=1), default=0, output_field=IntegerField()))
        .order_by("-exact", "-population", "name")[:limit]
    )
    if not found and len(key) >= 3:  # a word inside the name: "etienne" for Saint-Étienne
        found = list(candidates.filter(key__contains=f" {key}").order_by("-population")[:limit])
    return found


def _look_alikes(key: str, *, limit: int) -> list[Commune]:
    """Names close to a misspelt one, among those that begin with the same letter."""
    keys = set(Commune.objects.filter(_starts_with("key", key[:1])).values_list("key", flat=True)[:5000])
    close = difflib.get_close_matches(key, keys, n=limit, cutoff=0.7)
    communes = list(Commune.objects.filter(key__in=close).order_by("-population")[: limit * 2])
    return sorted(communes, key=lambda c: (close.index(c.key), -c.population))[:limit]


def commune_search(query: str, *, limit: int = SUGGESTIONS) -> CommuneSearch:
    """Communes for what a visitor typed: a postal code (whole or its beginning) or a name, in any spelling.

    Best first: an exact code or name, then names that begin so, then the most populated.
    ``chosen`` is the commune to search around when one stands out (an exact postal code or
    name, or a single match); otherwise the visitor picks among ``communes``.
    """
    query = " ".join((query or "").split())[:100]
    found = CommuneSearch(query=query)
    if not query:
        return found
    compact = query.replace(" ", "")
    if _POSTAL.match(compact):
        found.communes = _by_postal_code(compact, limit=limit)
        if len(compact) == 5:
            if found.communes and compact in found.communes[0].postal_codes.split():
                found.chosen = found.communes[0]
            else:
                found.unknown_postal_code = compact
                found.communes = _near_postal_codes(compact, limit=limit)
        return found
    both = _POSTAL_THEN_NAME.match(query)
    candidates = Commune.objects.all()
    key = search_key(query)
    if both:
        candidates = candidates.filter(postal_code_rows__code=both.group(1))
        key = search_key(both.group(2))
    if not key:
        return found
    found.communes = _named(key, candidates, limit=limit)
    if both and not found.communes:
        found.communes = _by_postal_code(both.group(1), limit=limit)
    if not found.communes:
        found.unknown_name = query
        found.communes = _look_alikes(key, limit=limit)
        return found
    first = found.communes[0]
    if getattr(first, "exact", 0) or len(found.communes) == 1 or (both and len(found.communes) == 1):
        found.chosen = first
    return found


def commune_by_insee(insee: str) -> Commune | None:
    if not re.fullmatch(r"[0-9AB]{5}", insee or ""):
        return None
    return Commune.objects.filter(insee=insee).first()


# --- The nearest structures.


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _box(latitude: float, longitude: float, radius: float) -> tuple[float, float, list[tuple[float, float]]]:
    """The latitude/longitude box around a circle of ``radius`` km: its latitudes and its ranges of
    longitude (none: every longitude, near the poles; two across the antimeridian)."""
    dlat = radius / KM_PER_DEGREE
    cos = math.cos(math.radians(min(89.0, abs(latitude) + dlat)))
    dlon = radius / (KM_PER_DEGREE * cos) if cos > 0 else 360.0
    ranges: list[tuple[float, float]] = []
    if dlon < 180:
        west, east = longitude - dlon, longitude + dlon
        if west < -180:
            ranges = [(west + 360, 180.0), (-180.0, east)]
        elif east > 180:
            ranges = [(west, 180.0), (-180.0, east - 360)]
        else:
            ranges = [(west, east)]
    return latitude - dlat, latitude + dlat, ranges


def located_sites(*, kind: str = "", federation: Structure | None = None) -> QuerySet[Site]:
    """Published sites the locator can place, of this kind of structure and under this federation."""
    sites = Site.objects.filter(published=True, latitude__isnull=False, longitude__isnull=False)
    if kind:
        sites = sites.filter(structure__kind=kind)
    if federation is not None:
        sites = sites.filter(structure__path__startswith=federation.path)
    return sites


def _located_sql(kind: str, federation: Structure | None) -> tuple[str, list]:
    """``located_sites`` as plain SQL (``FROM`` and ``WHERE``, alias ``s``) and its parameters."""
    quote = connection.ops.quote_name
    sql = f"FROM {quote(Site._meta.db_table)} s"
    where, params = ["s.published = %s", "s.latitude IS NOT NULL", "s.longitude IS NOT NULL"], [True]
    if kind or federation is not None:
        sql += f" JOIN {quote(Structure._meta.db_table)} st ON st.id = s.structure_id"
        if kind:
            where.append("st.kind = %s")
            params.append(kind)
        if federation is not None:  # a path is digits and slashes: nothing to escape in LIKE
            where.append("st.path LIKE %s")
            params.append(federation.path + "%")
    return f"{sql} WHERE {' AND '.join(where)}", params


@functools.cache
def _card_tables() -> tuple[Table, Table]:
    """What a locator card shows of a site and its structure (the long texts stay in the database)."""
    site_keep = {f.attname for f in Site._meta.concrete_fields if f.name in CARD_FIELDS} | {"id", "structure_id"}
    structure_keep = {"id"} | {name[len("structure__") :] for name in CARD_FIELDS if name.startswith("structure__")}

    def omitted(model, keep):
        return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in keep)

    return (
        Table(Site, "s", omit=omitted(Site, site_keep)),
        Table(Structure, "st", omit=omitted(Structure, structure_keep)),
    )


def nearest_sites(
    *, latitude: float, longitude: float, limit: int = 10, kind: str = "", federation: Structure | None = None
) -> list[tuple[Site, float]]:
    """The ``limit`` published sites nearest the point, with their distance in km, nearest first.

    A box around the point, widened until it holds ``limit`` sites within its inscribed
    circle (those are surely the nearest), reads only positions through the
    (published, latitude, longitude) index; the exact haversine distance then orders
    them, and one more query reads the chosen sites. Where sites are sparse (overseas,
    a narrow filter), after a few boxes the nearest by a flat approximation are read
    instead, a few times too many, and ordered exactly. Plain SQL: the locator's page asks
    it on every search (CONTRIBUTING, "Hot reads").
    """
    located, params = _located_sql(kind, federation)
    chosen: list[tuple[float, int]] = []
    for radius in RADII_KM:
        south, north, ranges = _box(latitude, longitude, radius)
        box = ["s.latitude >= %s AND s.latitude <= %s"]
        box_params: list = [south, north]
        if ranges:
            box.append("(" + " OR ".join("(s.longitude >= %s AND s.longitude <= %s)" for _range in ranges) + ")")
            box_params += [bound for pair in ranges for bound in pair]
        sql = f"SELECT s.id, s.latitude, s.longitude {located} AND {' AND '.join(box)}"
        rows = rows_together(connection, [(sql, [*params, *box_params])])[0]
        within = sorted(
            (d, pk) for pk, lat, lon in rows if (d := haversine_km(latitude, longitude, lat, lon)) <= radius
        )
        if len(within) >= limit:
            chosen = within[:limit]
            break
    else:
        scale = math.cos(math.radians(latitude)) ** 2
        flat = "(s.latitude - %s) * (s.latitude - %s) + (s.longitude - %s) * (s.longitude - %s) * %s"
        sql = f"SELECT s.id, s.latitude, s.longitude {located} ORDER BY {flat}, s.id LIMIT %s"
        rows = rows_together(
            connection, [(sql, [*params, latitude, latitude, longitude, longitude, scale, limit * 3])]
        )[0]
        chosen = sorted((haversine_km(latitude, longitude, lat, lon), pk) for pk, lat, lon in rows)[:limit]
    if not chosen:
        return []
    site_table, structure_table = _card_tables()
    select = joined(connection, site_table, structure_table)
    where, ids = in_ids(connection, "s.id", [pk for _d, pk in chosen])
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {select.columns} FROM {quote(Site._meta.db_table)} s"  # noqa: S608 (names from _meta)
        f" JOIN {quote(Structure._meta.db_table)} st ON st.id = s.structure_id WHERE {where}"
    )
    structure_field = Site._meta.get_field("structure")
    by_pk = {}
    for site, structure in select.instances(rows_together(connection, [(sql, ids)])[0]):
        structure_field.set_cached_value(site, structure)
        by_pk[site.pk] = site
    return [(by_pk[pk], round(d, 1)) for d, pk in chosen if pk in by_pk]


FEDERATIONS_CACHE_SECONDS = 60


def federations_with_sites() -> list[Structure]:
    """Federations with at least one published, located site under them: the locator's filter.

    Kept a minute in the cache (the page itself is cached longer by browsers and proxies).
    """
    found = cache.get("places:federations")
    if found is None:
        located = located_sites().filter(structure__path__startswith=OuterRef("path"))
        found = list(Structure.objects.filter(kind="federation").filter(Exists(located)).order_by("name"))
        cache.set("places:federations", found, FEDERATIONS_CACHE_SECONDS)
    return found
