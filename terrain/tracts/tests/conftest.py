"""Fixtures of the tractothèque: the union department's cooperative with a facilitator, library
files made in place, and tracts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from terrain.library.models import File, FileVersion
from terrain.structures.models import OfficialRole
from terrain.structures.services import official_add
from terrain.tests.factories import make_user
from terrain.tracts.services import tract_create


def make_file(cooperative, *, name="tract.pdf", kind=File.Kind.DOCUMENT, by=None, preview=False, **fields) -> File:
    """A library file with one version, made without the upload checks (tests of the tracts)."""
    file = File.objects.create(cooperative=cooperative, name=name, kind=kind, created_by=by, **fields)
    version = FileVersion(file=file, number=1, original_name=name, size=10, mime_type="application/pdf", sha256="0")
    version.blob.save(name, ContentFile(b"%PDF-1.4 tract"), save=False)
    if preview:
        version.preview.save("p.webp", ContentFile(b"RIFF0000WEBP"), save=False)
    version.save()
    file.current_version = version
    file.save()
    return file


@pytest.fixture
def ud_coop(world):
    world.ud.refresh_from_db()
    return world.ud.cooperative


@pytest.fixture
def denise(world):
    """Secretary of the union department: facilitator of its cooperative."""
    user = make_user("Denise Roy", email="denise@example.org")
    official_add(structure=world.ud, user=user, role=OfficialRole.SECRETAIRE)
    return user


@pytest.fixture
def denise_client(denise) -> Client:
    client = Client()
    client.force_login(denise)
    return client


@pytest.fixture
def syndicat_coop(world):
    world.syndicat.refresh_from_db()
    return world.syndicat.cooperative


@pytest.fixture
def ud_tract(world, ud_coop, denise):
    file = make_file(ud_coop, name="greve-12-mars.pdf", by=denise)
    return tract_create(
        cooperative=ud_coop,
        file=file,
        title="Tous en grève le 12 mars",
        description="Pour nos salaires et nos retraites.",
        date=datetime.date(2026, 3, 1),
        themes=["Salaires", "retraites", "Santé au TRAVAIL"],
        by=denise,
    )


@pytest.fixture
def section_tract(world, alice):
    file = make_file(world.private_coop, name="cantine.pdf", by=alice)
    return tract_create(
        cooperative=world.private_coop,
        file=file,
        title="La cantine de nuit",
        date=datetime.date(2026, 2, 10),
        themes=["Conditions de travail"],
        by=alice,
    )
