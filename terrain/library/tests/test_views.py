"""The library's pages, each refused to outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.library import services
from terrain.library.models import File, FileDownload, Folder
from terrain.library.processing import version_process
from terrain.library.selectors import photo_shareable
from terrain.library.tests.helpers import a_pdf, odt_bytes, pdf_bytes, upload_of
from terrain.search.models import SearchDocument
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(world):
    return a_pdf(world)


@pytest.fixture
def photo(world):
    file = services.file_upload(
        cooperative=world.private_coop, folder=None, upload=make_image_file("manif.jpg"), by=world.alice
    )
    version_process(version_id=file.current_version_id)
    file.refresh_from_db()
    return file


@pytest.fixture
def folder(world):
    return services.folder_create(cooperative=world.private_coop, parent=None, name="Tracts", by=world.alice)


def _refused_everywhere(charlie_client, client, url, method="get", **data):
    assert_refused(getattr(charlie_client, method)(url, data))
    assert_login_required(getattr(client, method)(url, data))


@pytest.mark.outsider("library:home")
def test_the_library_lists_folders_and_files_in_few_queries(
    world, bob_client, charlie_client, client, pdf, photo, folder, django_assert_max_num_queries
):
    for n in range(5):
        a_pdf(world, name=f"doc-{n}.pdf")
    url = reverse("library:home", args=[world.private_coop.code])
    with django_assert_max_num_queries(15):
        response = bob_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "compte-rendu.pdf" in page and "Tracts" in page and "manif.jpg" in page
    assert reverse("library:preview", args=[photo.code]) in page
    _refused_everywhere(charlie_client, client, url)


def test_a_disabled_library_has_no_pages(world, bob_client, pdf):
    world.private_coop.disabled_tools = "library"
    world.private_coop.save()
    assert bob_client.get(reverse("library:home", args=[world.private_coop.code])).status_code == 404
    assert bob_client.get(reverse("library:file", args=[pdf.code])).status_code == 404


@pytest.mark.outsider("library:folder")
def test_a_folder_shows_its_files(world, bob_client, charlie_client, client, folder):
    a_pdf(world, folder=folder, name="dans-le-dossier.pdf")
    url = reverse("library:folder", args=[folder.code])
    assert "dans-le-dossier.pdf" in bob_client.get(url).content.decode()
    _refused_everywhere(charlie_client, client, url)


def test_a_big_folder_is_shown_page_by_page(world, bob_client, folder, monkeypatch):
    from terrain.library import views

    monkeypatch.setattr(views, "FOLDER_PAGE_SIZE", 2)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        a_pdf(world, folder=folder, name=name)
    url = reverse("library:folder", args=[folder.code])
    first = bob_client.get(url).content.decode()
    assert "a.pdf" in first and "b.pdf" in first and "c.pdf" not in first
    assert "Page 1 sur 2" in first and 'href="?page=2"' in first
    second = bob_client.get(url, {"page": 2}).content.decode()
    assert "c.pdf" in second and "a.pdf" not in second and 'href="?page=1"' in second
    # A page past the end or not a number shows the nearest one, never an error.
    assert "c.pdf" in bob_client.get(url, {"page": 9}).content.decode()
    assert "a.pdf" in bob_client.get(url, {"page": "x"}).content.decode()


@pytest.mark.outsider("library:upload")
def test_several_files_in_one_post_without_javascript(world, bob_client, charlie_client, client, folder):
    url = reverse("library:upload", args=[world.private_coop.code])
    response = bob_client.post(
        url,
        {
            "dossier": folder.code,
            "files": [
                upload_of("a.pdf", pdf_bytes()),
                upload_of("b.jpg", b"<html></html>"),
                upload_of("c.odt", odt_bytes()),
            ],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("library-results") == 1
    assert "b.jpg" in page
    assert set(File.objects.filter(folder=folder).values_list("name", flat=True)) == {"a.pdf", "c.odt"}
    _refused_everywhere(charlie_client, client, url, "post", files=[upload_of("x.pdf", pdf_bytes())])
    assert File.objects.count() == 2


def test_one_file_per_request_in_json_for_the_progress_bars(world, bob_client):
    url = reverse("library:upload", args=[world.private_coop.code])
    ok = bob_client.post(url, {"files": upload_of("a.pdf", pdf_bytes())}, headers={"Accept": "application/json"})
    assert ok.status_code == 200 and ok.json()["ok"] is True
    refused = bob_client.post(url, {"files": upload_of("b.png", b"<svg/>")}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json()["error"]


@pytest.mark.outsider("library:folder_create")
def test_a_folder_is_created_and_a_blank_name_is_refused(world, bob_client, charlie_client, client):
    url = reverse("library:folder_create", args=[world.private_coop.code])
    assert bob_client.post(url, {"name": "Comptes rendus"}).status_code == 302
    blank = bob_client.post(url, {"name": "  "})
    assert blank.status_code == 400
    _refused_everywhere(charlie_client, client, url, "post", name="Intrus")


@pytest.mark.outsider("library:folder_rename")
def test_a_folder_is_renamed(world, bob_client, charlie_client, client, folder):
    url = reverse("library:folder_rename", args=[folder.code])
    assert bob_client.get(url).status_code == 200
    assert bob_client.post(url, {"name": "Tracts 2026"}).status_code == 302
    folder.refresh_from_db()
    assert folder.name == "Tracts 2026"
    _refused_everywhere(charlie_client, client, url)


@pytest.mark.outsider("library:file")
def test_a_file_page_shows_versions_and_details(world, bob_client, charlie_client, client, pdf):
    url = reverse("library:file", args=[pdf.code])
    page = bob_client.get(url).content.decode()
    assert "compte-rendu.pdf" in page and reverse("library:version_download", args=[pdf.current_version.code]) in page
    _refused_everywhere(charlie_client, client, url)


@pytest.mark.outsider("library:file_edit")
def test_a_file_is_renamed_and_moved(world, bob_client, charlie_client, client, pdf, folder):
    url = reverse("library:file_edit", args=[pdf.code])
    assert bob_client.post(url, {"name": "CR du CSE.pdf", "folder": folder.code}).status_code == 302
    pdf.refresh_from_db()
    assert pdf.name == "CR du CSE.pdf" and pdf.folder == folder
    assert SearchDocument.objects.get(kind="file", object_id=pdf.pk).title == "CR du CSE.pdf"
    bad = bob_client.post(url, {"name": "", "folder": "zzzz"})
    assert bad.status_code == 400
    _refused_everywhere(charlie_client, client, url, "post", name="x")


@pytest.mark.outsider("library:download")
def test_a_download_is_counted_with_who_and_named_as_the_file(world, bob_client, charlie_client, client, pdf):
    url = reverse("library:download", args=[pdf.code])
    response = bob_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "compte-rendu.pdf" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == pdf_bytes()
    pdf.refresh_from_db()
    assert pdf.download_count == 1
    row = FileDownload.objects.get()
    assert (row.user, row.version, row.cooperative) == (world.bob, pdf.current_version, world.private_coop)
    _refused_everywhere(charlie_client, client, url)
    assert FileDownload.objects.count() == 1
    # A download resumed asks for the rest: those bytes, still an attachment, not counted again.
    rest = bob_client.get(url, HTTP_RANGE="bytes=100-")
    assert rest.status_code == 206 and rest["Content-Disposition"].startswith("attachment")
    assert b"".join(rest.streaming_content) == pdf_bytes()[100:]
    assert FileDownload.objects.count() == 1
    assert_refused(charlie_client.get(url, HTTP_RANGE="bytes=100-"))


@pytest.mark.outsider("library:preview")
def test_the_preview_is_served_to_members_only(world, bob_client, charlie_client, client, photo):
    url = reverse("library:preview", args=[photo.code])
    response = bob_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "private" in response["Cache-Control"]
    _refused_everywhere(charlie_client, client, url)


@pytest.mark.outsider("library:version_add")
@pytest.mark.outsider("library:version_download")
@pytest.mark.outsider("library:version_restore")
def test_versions_are_added_listed_downloaded_and_restored(world, bob_client, charlie_client, client, pdf):
    first = pdf.current_version
    add = reverse("library:version_add", args=[pdf.code])
    changed = pdf_bytes("Deuxième version du compte rendu.")
    assert bob_client.post(add, {"upload": upload_of("cr-v2.pdf", changed)}).status_code == 302
    refused = bob_client.post(add, {"upload": upload_of("x.pdf", b"MZ\x90\x00" * 10)})
    assert refused.status_code == 400 and "upload" in refused.context["version_form"].errors
    pdf.refresh_from_db()
    assert pdf.current_version.number == 2

    old = reverse("library:version_download", args=[first.code])
    assert b"".join(bob_client.get(old).streaming_content) == pdf_bytes()

    restore = reverse("library:version_restore", args=[first.code])
    assert bob_client.post(restore).status_code == 302
    pdf.refresh_from_db()
    assert pdf.current_version.number == 3 and pdf.current_version.sha256 == first.sha256
    assert pdf.current_version.restored_from == first

    _refused_everywhere(charlie_client, client, add, "post", upload=upload_of("y.pdf", pdf_bytes()))
    _refused_everywhere(charlie_client, client, old)
    _refused_everywhere(charlie_client, client, restore, "post")
    assert pdf.versions.count() == 3


@pytest.mark.outsider("library:file_delete")
def test_a_deleted_file_leaves_the_search_at_once(world, bob_client, alice_client, charlie_client, client, pdf):
    url = reverse("library:file_delete", args=[pdf.code])
    # bob is neither its author nor a facilitator
    assert bob_client.post(url).status_code == 403
    _refused_everywhere(charlie_client, client, url, "post")
    assert alice_client.post(url).status_code == 302
    assert not SearchDocument.objects.filter(kind="file", object_id=pdf.pk).exists()
    assert bob_client.get(reverse("library:file", args=[pdf.code])).status_code == 404
    assert bob_client.get(reverse("library:download", args=[pdf.code])).status_code == 404


def test_deleted_files_are_purged_after_a_month(world, pdf):
    from datetime import timedelta

    from django.utils import timezone

    path = pdf.current_version.blob.path
    services.file_delete(file=pdf, by=world.alice)
    services.files_purge()
    assert File.objects.filter(pk=pdf.pk).exists()
    services.files_purge(now=timezone.now() + timedelta(days=31))
    assert not File.objects.filter(pk=pdf.pk).exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.outsider("library:photos")
def test_the_photo_library_shows_the_consent_warning(
    world, bob_client, charlie_client, client, photo, django_assert_max_num_queries
):
    services.photo_update(
        file=photo,
        credit="Camille",
        taken_on=None,
        place="Lyon",
        identifiable_people=True,
        consent="pending",
        by=world.alice,
    )
    for n in range(4):
        services.file_upload(
            cooperative=world.private_coop, folder=None, upload=make_image_file(f"p{n}.jpg"), by=world.alice
        )
    url = reverse("library:photos", args=[world.private_coop.code])
    with django_assert_max_num_queries(12):
        page = bob_client.get(url).content.decode()
    assert "Camille" in page and "library-warning" in page
    _refused_everywhere(charlie_client, client, url)


@pytest.mark.outsider("library:photo_edit")
def test_photo_details_and_consent_decide_whether_it_may_leave(world, bob_client, charlie_client, client, photo):
    url = reverse("library:photo_edit", args=[photo.code])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(
        url,
        {
            "credit": "Camille",
            "taken_on": "2026-05-01",
            "place": "Lyon",
            "identifiable_people": "on",
            "consent": "pending",
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.identifiable_people and photo.consent == File.Consent.PENDING
    assert photo.consent_marked_by == world.bob
    assert not photo_shareable(photo)
    with pytest.raises(services.ValidationError):
        services.file_share_check(file=photo, to_cooperative=world.open_coop)
    services.file_share_check(file=photo, to_cooperative=world.private_coop)  # inside: fine
    assert "consent" in bob_client.get(reverse("library:file", args=[photo.code])).content.decode().lower()

    bad = bob_client.post(url, {"credit": "x", "taken_on": "pas une date", "consent": "pending"})
    assert bad.status_code == 400 and 'value="x"' in bad.content.decode()

    bob_client.post(url, {"credit": "Camille", "identifiable_people": "on", "consent": "obtained"})
    photo.refresh_from_db()
    assert photo_shareable(photo)
    _refused_everywhere(charlie_client, client, url)


@pytest.mark.outsider("library:folder_delete")
def test_only_an_empty_folder_is_deleted(world, bob_client, alice_client, charlie_client, client, folder):
    url = reverse("library:folder_delete", args=[folder.code])
    pdf = a_pdf(world, folder=folder)
    _refused_everywhere(charlie_client, client, url, "post")
    assert bob_client.post(url).status_code == 403  # neither its creator nor a facilitator
    alice_client.post(url)
    assert Folder.objects.filter(pk=folder.pk).exists()  # not empty
    services.file_delete(file=pdf, by=world.alice)
    assert alice_client.post(url).status_code == 302
    assert not Folder.objects.filter(pk=folder.pk).exists()
    pdf.refresh_from_db()
    assert pdf.folder is None
    attachments = services.attachments_folder(world.private_coop)
    with pytest.raises(services.ValidationError):
        services.folder_delete(folder=attachments, by=world.alice)


@pytest.mark.outsider("library:media")
def test_images_sound_and_video_are_shown_inline_documents_never(world, bob_client, charlie_client, client, photo, pdf):
    url = reverse("library:media", args=[photo.code])
    response = bob_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert bob_client.get(reverse("library:media", args=[pdf.code])).status_code == 404
    assert url in bob_client.get(reverse("library:file", args=[photo.code])).content.decode()
    _refused_everywhere(charlie_client, client, url)
