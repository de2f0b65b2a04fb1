"""A library photo sent to the workshop: only with the consent of the people on it, only by its writers."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.message_selectors import message_problems
from terrain.atelier.models import Message, MessageImage, Publication
from terrain.atelier.services import messages as services
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.atelier.tests.publishing_fake import make_account, pouet  # noqa: F401
from terrain.library import services as library
from terrain.library.models import File
from terrain.library.processing import version_process
from terrain.tests.factories import make_image_file

PENDING_REASON = "pas indiqué : elle ne peut pas être partagée"


@pytest.fixture
def shop(world):
    return make_workshop(world)


def _photo(world, cooperative=None, *, name="Manif_du_8_mars.jpg", consent=File.Consent.PENDING, people=True):
    file = library.file_upload(
        cooperative=cooperative or world.private_coop, folder=None, upload=make_image_file(name), by=world.alice
    )
    version_process(version_id=file.current_version_id)
    file.refresh_from_db()
    return library.photo_update(
        file=file,
        credit="Camille Martin",
        taken_on=None,
        place="Lyon",
        identifiable_people=people,
        consent=consent,
        by=world.alice,
    )


def _url(file):
    return reverse("atelier:share_photo", args=[file.code])


class TestService:
    @pytest.mark.parametrize("consent", [File.Consent.PENDING, File.Consent.REFUSED])
    def test_without_consent_nothing_is_made(self, shop, consent):
        photo = _photo(shop.world, consent=consent)
        with pytest.raises(ValidationError) as refused:
            services.message_from_library_file(file=photo, structure=shop.structure, by=shop.dana)
        assert "identifi" in refused.value.messages[0]
        assert not Message.objects.exists() and not MessageImage.objects.exists()

    def test_with_consent_a_draft_carries_the_image_and_its_credit(self, shop):
        photo = _photo(shop.world, consent=File.Consent.OBTAINED)
        message = services.message_from_library_file(file=photo, structure=shop.structure, by=shop.dana)
        assert message.status == Message.Status.DRAFT
        assert message.structure == shop.structure and message.author == shop.dana
        assert message.body == "Photo : Camille Martin"
        image = message.images.get()
        assert image.source_file == photo
        assert image.alt_text == "Manif du 8 mars, Lyon"
        assert image.image.read()[:3] == b"\xff\xd8\xff"
        again = services.message_from_library_file(file=photo, structure=shop.structure, by=shop.dana)
        assert again.pk == message.pk and MessageImage.objects.count() == 1

    def test_nobody_identifiable_needs_no_consent_and_a_camera_name_is_no_description(self, shop):
        photo = _photo(shop.world, name="IMG_2041.jpg", people=False)
        message = services.message_from_library_file(file=photo, structure=shop.structure, by=shop.dana)
        assert message.images.get().alt_text == ""  # the composer asks for a description

    def test_a_member_without_a_role_in_the_workshop_cannot(self, shop):
        photo = _photo(shop.world, consent=File.Consent.OBTAINED)
        with pytest.raises(PermissionDenied):
            services.message_from_library_file(file=photo, structure=shop.structure, by=shop.world.bob)
        assert not Message.objects.exists()

    def test_a_document_is_not_a_photo(self, shop):
        from terrain.library.tests.helpers import a_pdf

        with pytest.raises(ValidationError):
            services.message_from_library_file(file=a_pdf(shop.world), structure=shop.structure, by=shop.dana)

    def test_consent_withdrawn_after_the_draft_stops_the_message(self, shop):
        photo = _photo(shop.world, consent=File.Consent.OBTAINED)
        message = services.message_from_library_file(file=photo, structure=shop.structure, by=shop.dana)
        services.message_update(message=message, by=shop.dana, body="Le 8 mars à Lyon.", accounts=[shop.mastodon])
        MessageImage.objects.update(alt_text="Le cortège place Bellecour")
        assert message_problems(Message.objects.get()) == []
        library.photo_update(
            file=photo,
            credit=photo.credit,
            taken_on=None,
            place=photo.place,
            identifiable_people=True,
            consent=File.Consent.REFUSED,
            by=shop.world.alice,
        )
        problems = message_problems(Message.objects.get())
        assert problems and problems[0].startswith("Image 1 :") and "refus" in problems[0]
        with pytest.raises(ValidationError):
            services.message_submit(message=Message.objects.get(), by=shop.dana)


class TestView:
    @pytest.mark.outsider("atelier:share_photo")
    def test_writers_only_and_consent_first(self, shop, bob_client, charlie_client, client):
        photo = _photo(shop.world, consent=File.Consent.PENDING)
        url = _url(photo)
        assert client.post(url)["Location"].startswith(reverse("accounts:login"))
        assert charlie_client.post(url).status_code == 404
        assert bob_client.post(url).status_code == 403
        dana = client_for(shop.dana)
        assert dana.get(url).status_code == 405
        refused = dana.post(url, follow=True)
        assert refused.redirect_chain[-1][0] == reverse("library:file", args=[photo.code])
        assert PENDING_REASON in refused.content.decode()
        assert not Message.objects.exists()

        photo.consent = File.Consent.OBTAINED
        photo.save()
        response = dana.post(url)
        message = Message.objects.get()
        assert response["Location"] == reverse("atelier:message_edit", args=[message.code])
        assert message.images.get().source_file == photo
        detail = dana.get(reverse("atelier:message_detail", args=[message.code])).content.decode()
        assert reverse("library:file", args=[photo.code]) in detail
        dana.post(url)
        assert Message.objects.count() == 1

    def test_an_open_cooperative_has_no_workshop(self, shop):
        photo = _photo(shop.world, shop.world.open_coop, consent=File.Consent.OBTAINED)
        assert client_for(shop.world.alice).post(_url(photo)).status_code == 404
        page = client_for(shop.world.alice).get(reverse("library:file", args=[photo.code])).content.decode()
        assert _url(photo) not in page and "Envoyer à l’atelier" not in page

    def test_the_photo_page_offers_it_to_writers_and_says_why_not(self, shop, bob_client):
        photo = _photo(shop.world, consent=File.Consent.PENDING)
        page = reverse("library:file", args=[photo.code])
        waiting = client_for(shop.dana).get(page).content.decode()
        assert _url(photo) not in waiting
        assert "disabled" in waiting and "Envoyer à l’atelier" in waiting
        assert "une fois le consentement" in waiting
        assert "Envoyer à l’atelier" not in bob_client.get(page).content.decode()
        photo.consent = File.Consent.OBTAINED
        photo.save()
        ready = client_for(shop.dana).get(page).content.decode()
        assert _url(photo) in ready and "csrfmiddlewaretoken" in ready
        assert _url(photo) not in bob_client.get(page).content.decode()


class TestPublication:
    def test_a_consent_withdrawn_after_scheduling_fails_the_publication(self, shop, pouet):
        from terrain.atelier.services.engine import publication_run
        from terrain.atelier.services.publishing import message_schedule

        photo = _photo(shop.world, consent=File.Consent.OBTAINED)
        message = services.message_from_library_file(file=photo, structure=shop.structure, by=shop.world.alice)
        account = make_account(shop.structure, by=shop.world.alice)
        message.accounts.set([account])
        MessageImage.objects.update(alt_text="Le cortège place Bellecour")
        Message.objects.filter(pk=message.pk).update(body="Le 8 mars.", status=Message.Status.APPROVED)
        message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=shop.world.alice)
        library.photo_update(
            file=photo,
            credit="",
            taken_on=None,
            place="",
            identifiable_people=True,
            consent=File.Consent.REFUSED,
            by=shop.world.alice,
        )
        publication = Message.objects.get().publications.get()
        Publication.objects.filter(pk=publication.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))
        assert publication_run(publication_id=publication.pk, worker="test") == "failed"
        publication.refresh_from_db()
        assert publication.state == Publication.State.FAILED
        assert "elles ont refusé" in publication.last_error
        assert not pouet.statuses
