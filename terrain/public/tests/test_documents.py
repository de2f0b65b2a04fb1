"""Public documents: files of the structure's library its officials put on the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.library.models import File
from terrain.library.services import file_delete, file_upload
from terrain.public import services
from terrain.public.models import SiteDocument
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(world):
    site = services.site_save(structure=world.section, by=world.alice, slug="section-exemple")
    return services.site_publish(site=site, by=world.alice)


@pytest.fixture
def leaflet(world):
    upload = make_image_file("affiche-greve.png", fmt="PNG")
    return file_upload(cooperative=world.private_coop, folder=None, upload=upload, by=world.alice, name="Tract grève")


def _add(alice_client, world, file, **extra):
    return alice_client.post(
        reverse("public_manage:documents", args=[world.section.code]), {"file": file.code, **extra}
    )


def test_an_official_puts_a_library_file_on_the_site(client, world, alice_client, site, leaflet):
    assert client.get(reverse("public:documents", args=[site.slug])).status_code == 200
    home = reverse("public:home", args=[site.slug])
    assert "Tract grève" not in client.get(home).content.decode()  # nothing until an official chooses it
    assert _add(alice_client, world, leaflet, title="Tract de la grève du 12").status_code == 302
    document = SiteDocument.objects.get()
    assert "Tract de la grève du 12" in client.get(home).content.decode()
    download = client.get(reverse("public:document", args=[site.slug, document.code]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert "attachment" in download["Content-Disposition"]


def test_a_file_in_the_bin_leaves_the_site(client, world, alice_client, site, leaflet):
    _add(alice_client, world, leaflet)
    document = SiteDocument.objects.get()
    file_delete(file=leaflet, by=world.alice)
    assert client.get(reverse("public:document", args=[site.slug, document.code])).status_code == 404
    assert "Tract grève" not in client.get(reverse("public:documents", args=[site.slug])).content.decode()


def test_a_file_of_another_cooperative_cannot_be_chosen(world, alice_client, site):
    upload = make_image_file("autre.png", fmt="PNG")
    other = file_upload(cooperative=world.open_coop, folder=None, upload=upload, by=world.alice)
    response = _add(alice_client, world, other)
    assert response.status_code == 400
    assert not SiteDocument.objects.exists()


def test_a_photo_of_people_without_their_consent_stays_inside(world, alice_client, site):
    photo = file_upload(
        cooperative=world.private_coop, folder=None, upload=make_image_file("piquet.jpg"), by=world.alice
    )
    File.objects.filter(pk=photo.pk).update(identifiable_people=True, consent=File.Consent.PENDING)
    response = _add(alice_client, world, photo)
    assert response.status_code == 400
    assert "consent" in response.content.decode().lower() or "consentement" in response.content.decode()
    assert not SiteDocument.objects.exists()


def test_taking_a_document_off_the_site_keeps_it_in_the_library(client, world, alice_client, site, leaflet):
    _add(alice_client, world, leaflet)
    document = SiteDocument.objects.get()
    alice_client.post(reverse("public_manage:document_remove", args=[world.section.code, document.code]))
    assert not SiteDocument.objects.exists()
    assert File.objects.filter(pk=leaflet.pk, deleted_at__isnull=True).exists()
    assert client.get(reverse("public:document", args=[site.slug, document.code])).status_code == 404


@pytest.mark.outsider("public_manage:documents", "public_manage:document_remove")
def test_outsiders_cannot_choose_or_remove_documents(world, alice_client, bob_client, charlie_client, site, leaflet):
    _add(alice_client, world, leaflet)
    document = SiteDocument.objects.get()
    for someone in (bob_client, charlie_client):
        assert someone.get(reverse("public_manage:documents", args=[world.section.code])).status_code in (403, 404)
        remove = reverse("public_manage:document_remove", args=[world.section.code, document.code])
        assert someone.post(remove).status_code in (403, 404)
    assert SiteDocument.objects.exists()


@pytest.mark.outsider("public:documents", "public:document")
def test_documents_of_a_closed_site_do_not_exist(client, world, alice_client, site, leaflet):
    _add(alice_client, world, leaflet)
    document = SiteDocument.objects.get()
    services.site_unpublish(site=site, by=world.alice)
    assert client.get(reverse("public:documents", args=[site.slug])).status_code == 404
    assert client.get(reverse("public:document", args=[site.slug, document.code])).status_code == 404
