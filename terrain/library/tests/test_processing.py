"""The worker's reading of files: bounded, and a failure leaves the file usable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.library import services
from terrain.library.models import File
from terrain.library.processing import sandboxed, version_process
from terrain.library.tests.helpers import a_pdf, docx_bytes, odt_bytes, pdf_bytes, upload_of
from terrain.search.models import SearchDocument
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def test_the_text_of_a_pdf_is_extracted_its_preview_drawn_and_the_search_fed(world):
    file = a_pdf(world)
    version_process(version_id=file.current_version_id)

    file.refresh_from_db()
    assert file.extraction_status == File.Status.DONE
    assert file.preview_status == File.Status.DONE
    assert "salariés" in file.current_version.extracted_text
    assert file.current_version.preview.name.endswith(".webp") and file.current_version.preview_width > 0
    assert "salariés" in SearchDocument.objects.get(kind="file", object_id=file.pk).body


@pytest.mark.parametrize(
    ("name", "maker", "words"), [("ag.docx", docx_bytes, "assemblée"), ("t.odt", odt_bytes, "grève")]
)
def test_the_text_of_docx_and_odt_is_extracted(world, name, maker, words):
    file = services.file_upload(
        cooperative=world.private_coop, folder=None, upload=upload_of(name, maker()), by=world.bob
    )
    version_process(version_id=file.current_version_id)
    file.refresh_from_db()
    assert file.extraction_status == File.Status.DONE
    assert words in file.current_version.extracted_text
    assert file.preview_status == File.Status.NONE


def test_an_image_gets_a_thumbnail(world):
    file = services.file_upload(
        cooperative=world.private_coop,
        folder=None,
        upload=make_image_file("p.png", fmt="PNG", size=(2000, 1000)),
        by=world.bob,
    )
    version_process(version_id=file.current_version_id)
    file.refresh_from_db()
    assert file.preview_status == File.Status.DONE
    assert file.current_version.preview_width <= 480
    assert file.extraction_status == File.Status.NONE


def test_the_upload_queues_the_processing_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file = a_pdf(world)
    file.refresh_from_db()
    assert file.extraction_status == File.Status.DONE


def test_a_corrupt_pdf_fails_cleanly_and_stays_downloadable(world, bob_client):
    broken = pdf_bytes()[:400] + b"\x00garbage" * 50
    file = services.file_upload(
        cooperative=world.private_coop, folder=None, upload=upload_of("casse.pdf", broken), by=world.bob
    )
    version_process(version_id=file.current_version_id)

    file.refresh_from_db()
    assert file.preview_status == File.Status.FAILED
    page = bob_client.get(reverse("library:file", args=[file.code]))
    assert page.status_code == 200
    if file.extraction_status == File.Status.FAILED:
        assert "could not be read" in page.content.decode() or "pas pu être lu" in page.content.decode()
    assert bob_client.get(reverse("library:download", args=[file.code])).status_code == 200


def test_a_child_that_runs_too_long_is_stopped(settings, tmp_path, monkeypatch):
    import time

    from terrain.library import processing

    settings.LIBRARY_PROCESS_SECONDS = 1
    hanging = tmp_path / "hanging"
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(processing.sys, "executable", str(hanging))
    started = time.monotonic()
    outcome = sandboxed("text", "application/pdf", str(tmp_path / "none.pdf"))
    assert not outcome.ok and outcome.error == "timeout"
    assert time.monotonic() - started < 10


def test_a_memory_bomb_is_killed_by_the_memory_limit(settings, tmp_path):
    from PIL import Image

    settings.LIBRARY_PROCESS_MEMORY_MB = 200
    bomb = tmp_path / "bomb.png"
    Image.new("1", (8000, 8000)).save(bomb)  # small on disk, 64 Mpx (256 MB) in RGB
    outcome = sandboxed("preview", "image/png", str(bomb), str(tmp_path / "out.webp"))
    assert not outcome.ok
