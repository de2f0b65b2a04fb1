"""Uploads: the type checked by content, the size limit, images cleaned, nothing half-created."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from terrain.feed.models import Activity
from terrain.library import services
from terrain.library.feed_items import FILE_ADDED
from terrain.library.models import File, FileVersion
from terrain.library.tests.helpers import a_pdf, docx_bytes, odt_bytes, pdf_bytes, upload_of, zip_bytes
from terrain.search.models import SearchDocument
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _upload(world, name, data):
    return services.file_upload(cooperative=world.private_coop, folder=None, upload=upload_of(name, data), by=world.bob)


def test_a_pdf_is_stored_under_an_opaque_name_indexed_and_in_the_feed(world, settings):
    file = a_pdf(world, name="Compte rendu de Mme Dupont.pdf")

    version = file.current_version
    assert file.kind == File.Kind.DOCUMENT and version.number == 1
    assert version.mime_type == "application/pdf"
    assert "Dupont" not in version.blob.name and version.blob.name.startswith("library/")
    assert os.path.exists(version.blob.path)
    assert len(version.sha256) == 64 and version.size == len(pdf_bytes())
    assert file.extraction_status == File.Status.PENDING
    document = SearchDocument.objects.get(kind="file", object_id=file.pk)
    assert document.title == "Compte rendu de Mme Dupont.pdf" and document.tool == "library"
    assert Activity.objects.filter(verb=FILE_ADDED, target_id=file.pk).exists()


@pytest.mark.parametrize(("name", "maker"), [("ag.docx", docx_bytes), ("tract.odt", odt_bytes)])
def test_office_and_opendocument_files_are_accepted(world, name, maker):
    file = _upload(world, name, maker())
    assert file.current_version.mime_type.startswith("application/vnd.")


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "content"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "content"),
        ("image.jpg", b"<!doctype html><html><body><script>alert(1)</script></body></html>", "content"),
        ("programme.exe", b"MZ\x90\x00", ".exe"),
        ("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "content"),
        ("faux.docx", zip_bytes({"a.txt": b"hello"}), "not a real"),
        ("faux.odt", zip_bytes({"mimetype": b"application/zip", "content.xml": b"<x/>"}), "not a real"),
    ],
)
def test_a_file_whose_content_disagrees_with_its_name_is_refused(world, name, data, words):
    with pytest.raises(ValidationError) as refused:
        _upload(world, name, data)
    assert not File.objects.exists()
    assert refused.value.messages  # a sentence for the person


def test_the_refusals_are_in_french(world):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        _upload(world, "photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert "refusé" in refused.value.messages[0]


def test_a_zip_bomb_disguised_as_docx_is_refused_before_unpacking(world):
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w/>",
            "word/padding.xml": b"\x00" * (30 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as refused:
        _upload(world, "rapport.docx", bomb)
    assert refused.value.code == "zip_bomb"
    assert not File.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        _upload(world, "gros.pdf", big)
    assert refused.value.code == "too_large"


def test_images_are_re_encoded_without_their_exif(world):
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 0.0)}  # GPS
    photo = make_image_file("manif.jpg", size=(1600, 1200), exif=exif.tobytes())
    file = services.file_upload(cooperative=world.private_coop, folder=None, upload=photo, by=world.bob)

    assert file.kind == File.Kind.IMAGE
    with file.current_version.blob.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.size == (1600, 1200)  # full size kept
        assert not image.getexif()
        assert "exif" not in image.info


def test_a_failed_transaction_leaves_neither_a_row_nor_a_blob(world, monkeypatch, settings):
    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "search_index", broken)
    with pytest.raises(RuntimeError):
        a_pdf(world)

    assert not File.objects.exists() and not FileVersion.objects.exists()
    library_dir = settings.MEDIA_ROOT / "library"
    leftovers = [f for _d, _s, names in os.walk(library_dir) for f in names] if library_dir.exists() else []
    assert leftovers == []


def test_an_orphan_blob_from_an_outer_rollback_is_purged(world, settings):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    class Stop(Exception):
        pass

    with pytest.raises(Stop), transaction.atomic():
        a_pdf(world)
        raise Stop
    blobs = [os.path.join(d, f) for d, _s, names in os.walk(settings.MEDIA_ROOT / "library") for f in names]
    assert len(blobs) == 1  # written, then its row rolled back with the outer transaction
    assert services.files_purge() == 0  # too young: may be an upload in progress
    assert services.files_purge(now=timezone.now() + timedelta(days=1)) == 1
    assert not os.path.exists(blobs[0])


def test_several_files_are_accepted_or_refused_one_by_one(world):
    results = services.files_upload(
        cooperative=world.private_coop,
        folder=None,
        uploads=[upload_of("a.pdf", pdf_bytes()), upload_of("b.png", b"<svg/>"), upload_of("c.odt", odt_bytes())],
        by=world.bob,
    )
    assert [bool(r.file) for r in results] == [True, False, True]
    assert results[1].error
    assert File.objects.count() == 2


def test_a_new_version_must_be_of_the_same_kind(world):
    file = a_pdf(world)
    with pytest.raises(ValidationError):
        services.file_add_version(file=file, upload=make_image_file("x.jpg"), by=world.bob)
