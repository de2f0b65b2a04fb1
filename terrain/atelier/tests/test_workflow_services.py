"""The workflow's services: who may do what, what each step changes, who hears of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from terrain.atelier.models import Message, MessageEvent, MessageImage, Publication
from terrain.atelier.services import messages as services
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.compose_helpers import make_workshop
from terrain.feed.models import Notification
from terrain.tests.factories import make_image_file


@pytest.fixture
def shop(world):
    return make_workshop(world)


def _draft(shop, *, author=None, body="Assemblée générale jeudi à 12 h, salle B. Venez nombreux !", accounts=None):
    return services.message_create(
        structure=shop.structure,
        author=author or shop.dana,
        body=body,
        accounts=accounts if accounts is not None else [shop.mastodon, shop.bluesky],
    )


def _approved(shop):
    message = _draft(shop)
    services.message_submit(message=message, by=shop.dana)
    return services.message_approve(message=message, by=shop.eve)


class TestCreateAndUpdate:
    def test_the_same_submission_key_finds_the_first_draft(self, shop):
        first = services.message_create(structure=shop.structure, author=shop.dana, submission_key="key-12345678")
        again = services.message_create(
            structure=shop.structure, author=shop.dana, submission_key="key-12345678", body="autre"
        )
        assert again.pk == first.pk
        assert Message.objects.count() == 1

    def test_a_member_without_role_cannot_write(self, shop, bob):
        with pytest.raises(PermissionDenied):
            services.message_create(structure=shop.structure, author=bob, body="x")

    def test_an_account_of_another_structure_is_refused(self, shop, world):
        from terrain.atelier.models import ConnectedAccount

        other = ConnectedAccount.objects.create(structure=world.syndicat, network="mastodon", handle="autre")
        with pytest.raises(ValidationError):
            _draft(shop, accounts=[other])

    def test_variants_keep_only_real_differences(self, shop):
        message = _draft(shop)
        services.message_update(
            message=message,
            by=shop.dana,
            body=message.body,
            accounts=[shop.bluesky],
            variants={"bluesky": "Court pour Bluesky", "x": "", "mastodon": message.body, "nope": "ignored"},
        )
        assert {v.network: v.body for v in message.variants.all()} == {"bluesky": "Court pour Bluesky"}
        services.message_update(message=message, by=shop.dana, body=message.body, accounts=[shop.bluesky], variants={})
        assert not message.variants.exists()

    def test_an_unchanged_form_writes_nothing(self, shop):
        message = _draft(shop)
        before = Message.objects.get(pk=message.pk).updated_at
        services.message_update(
            message=message, by=shop.dana, body=message.body, accounts=[shop.mastodon, shop.bluesky]
        )
        assert Message.objects.get(pk=message.pk).updated_at == before

    def test_a_writer_changing_an_approved_message_sends_it_back_to_draft(self, shop):
        message = _approved(shop)
        message = services.message_update(
            message=message, by=shop.dana, body="Nouveau texte", accounts=[shop.mastodon, shop.bluesky]
        )
        assert message.status == Message.Status.DRAFT
        assert message.approved_by is None

    def test_a_writer_changing_a_scheduled_message_takes_it_off_the_calendar(self, shop):
        message = _approved(shop)
        at = timezone.now() + timedelta(days=1)
        message_schedule(message=message, at=at, by=shop.eve)
        message = services.message_update(
            message=message, by=shop.dana, body="Changé", accounts=[shop.mastodon, shop.bluesky]
        )
        assert message.status == Message.Status.DRAFT
        assert message.scheduled_at is None
        assert set(Publication.objects.values_list("state", flat=True)) == {Publication.State.CANCELLED}
        assert message.events.filter(kind=MessageEvent.Kind.UNSCHEDULED).exists()

    def test_an_approver_changing_a_scheduled_message_keeps_it_scheduled(self, shop):
        message = _approved(shop)
        at = timezone.now() + timedelta(days=1)
        message_schedule(message=message, at=at, by=shop.eve)
        message = services.message_update(message=message, by=shop.eve, body="Corrigé", accounts=[shop.mastodon])
        assert message.status == Message.Status.SCHEDULED
        states = dict(Publication.objects.values_list("account__network", "state"))
        assert states == {"mastodon": Publication.State.PENDING, "bluesky": Publication.State.CANCELLED}

    def test_a_message_being_published_cannot_change(self, shop):
        message = _approved(shop)
        message_schedule(message=message, at=timezone.now(), by=shop.eve)
        Publication.objects.filter(account=shop.mastodon).update(state=Publication.State.PUBLISHED)
        with pytest.raises(ValidationError):
            services.message_update(message=message, by=shop.eve, body="Trop tard", accounts=[shop.mastodon])

    def test_a_failed_message_can_be_corrected_and_a_writer_sends_it_back_to_draft(self, shop):
        message = _approved(shop)
        message_schedule(message=message, at=timezone.now(), by=shop.eve)
        Publication.objects.update(state=Publication.State.FAILED, last_error="Texte refusé")
        Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
        kept = services.message_update(message=message, by=shop.eve, body="Corrigé", accounts=[shop.mastodon])
        assert kept.status == Message.Status.FAILED
        back = services.message_update(message=message, by=shop.dana, body="Recorrigé", accounts=[shop.mastodon])
        assert back.status == Message.Status.DRAFT


class TestImages:
    def test_images_are_cleaned_and_limited_to_four(self, shop):
        message = _draft(shop)
        for n in range(4):
            services.message_image_add(message=message, by=shop.dana, file=make_image_file(), alt_text=f"Photo {n}")
        assert [i.alt_text for i in message.images.all()] == ["Photo 0", "Photo 1", "Photo 2", "Photo 3"]
        with pytest.raises(ValidationError):
            services.message_image_add(message=message, by=shop.dana, file=make_image_file(), alt_text="Une de trop")

    def test_a_file_that_is_not_an_image_is_refused(self, shop):
        from django.core.files.uploadedfile import SimpleUploadedFile

        message = _draft(shop)
        with pytest.raises(ValidationError):
            services.message_image_add(
                message=message, by=shop.dana, file=SimpleUploadedFile("a.jpg", b"%PDF-1.4", "image/jpeg")
            )

    def test_alt_text_is_required_before_submission(self, shop):
        message = _draft(shop)
        image = services.message_image_add(message=message, by=shop.dana, file=make_image_file())
        with pytest.raises(ValidationError) as refused:
            services.message_submit(message=message, by=shop.dana)
        assert "image 1" in " ".join(refused.value.messages).lower()
        services.message_image_set_alt(image=image, by=shop.dana, alt_text="Des collègues devant l'hôpital")
        assert services.message_submit(message=message, by=shop.dana).status == Message.Status.SUBMITTED

    def test_remove_deletes_the_file_after_commit(self, shop, django_capture_on_commit_callbacks):
        message = _draft(shop)
        image = services.message_image_add(message=message, by=shop.dana, file=make_image_file(), alt_text="x")
        storage, name = image.image.storage, image.image.name
        with django_capture_on_commit_callbacks(execute=True):
            services.message_image_remove(image=image, by=shop.dana)
        assert not MessageImage.objects.exists()
        assert not storage.exists(name)


class TestWorkflow:
    def test_submit_tells_the_approvers_and_officials_not_the_author(
        self, shop, alice, django_capture_on_commit_callbacks
    ):
        message = _draft(shop)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_submit(message=message, by=shop.dana)
        submitted = Notification.objects.filter(reason=Notification.Reason.MESSAGE_SUBMITTED)
        notified = set(submitted.values_list("user__email", flat=True))
        assert notified == {shop.eve.email, alice.email}
        note = Notification.objects.filter(user=shop.eve).get()
        assert note.target_url == f"/atelier/messages/{message.code}/"
        assert note.summary.startswith("Assemblée générale jeudi")
        assert sorted(m.to[0] for m in mail.outbox) == sorted([shop.eve.email, alice.email])
        assert "Dana Roux" in mail.outbox[0].subject
        assert f"/atelier/messages/{message.code}/" in mail.outbox[0].body

    def test_an_empty_or_accountless_message_cannot_be_submitted(self, shop):
        with pytest.raises(ValidationError):
            services.message_submit(message=_draft(shop, body=""), by=shop.dana)
        with pytest.raises(ValidationError):
            services.message_submit(message=_draft(shop, accounts=[]), by=shop.dana)

    def test_a_text_too_long_for_a_network_cannot_be_submitted(self, shop):
        message = _draft(shop, body="a" * 301, accounts=[shop.bluesky])
        with pytest.raises(ValidationError) as refused:
            services.message_submit(message=message, by=shop.dana)
        assert "Bluesky" in " ".join(refused.value.messages)
        services.message_update(
            message=message, by=shop.dana, body=message.body, accounts=[shop.bluesky], variants={"bluesky": "Court"}
        )
        services.message_submit(message=message, by=shop.dana)

    def test_a_writer_cannot_approve(self, shop):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        with pytest.raises(PermissionDenied):
            services.message_approve(message=message, by=shop.dana)
        with pytest.raises(PermissionDenied):
            services.message_request_changes(message=message, by=shop.dana, text="Non")

    def test_approve_tells_the_author(self, shop, django_capture_on_commit_callbacks):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        with django_capture_on_commit_callbacks(execute=True):
            message = services.message_approve(message=message, by=shop.eve)
        assert (message.status, message.approved_by) == (Message.Status.APPROVED, shop.eve)
        assert Notification.objects.get(reason=Notification.Reason.MESSAGE_APPROVED).user == shop.dana
        assert [m.to for m in mail.outbox] == [[shop.dana.email]]

    def test_request_changes_needs_a_reason_and_tells_the_author(self, shop, django_capture_on_commit_callbacks):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        with pytest.raises(ValidationError):
            services.message_request_changes(message=message, by=shop.eve, text="  ")
        with django_capture_on_commit_callbacks(execute=True):
            message = services.message_request_changes(message=message, by=shop.eve, text="Enlève le sigle.")
        assert message.status == Message.Status.CHANGES_REQUESTED
        assert message.events.get(kind=MessageEvent.Kind.CHANGES_REQUESTED).text == "Enlève le sigle."
        assert Notification.objects.get(reason=Notification.Reason.CHANGES_REQUESTED).user == shop.dana
        assert "Enlève le sigle." in mail.outbox[0].body
        # Corrected, submitted again.
        assert services.message_submit(message=message, by=shop.dana).status == Message.Status.SUBMITTED

    def test_changes_requested_on_a_scheduled_message_unschedule_it(self, shop):
        message = _approved(shop)
        message_schedule(message=message, at=timezone.now() + timedelta(hours=3), by=shop.eve)
        message = services.message_request_changes(message=message, by=shop.eve, text="Attends lundi")
        assert message.status == Message.Status.CHANGES_REQUESTED
        assert not Publication.objects.filter(state=Publication.State.PENDING).exists()

    def test_comments_reach_every_participant_but_the_commenter(self, shop, django_capture_on_commit_callbacks):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        services.message_approve(message=message, by=shop.eve)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_comment(message=message, by=shop.world.alice, text="Bravo, clair et court.")
        notified = set(
            Notification.objects.filter(reason=Notification.Reason.MESSAGE_COMMENTED).values_list("user_id", flat=True)
        )
        assert notified == {shop.dana.pk, shop.eve.pk}
        assert sorted(m.to[0] for m in mail.outbox) == sorted([shop.dana.email, shop.eve.email])

    def test_delete_only_by_its_author_or_a_manager(self, shop, alice):
        message = _draft(shop)
        with pytest.raises(PermissionDenied):
            services.message_delete(message=message, by=shop.eve)
        services.message_delete(message=message, by=alice)
        assert not Message.objects.exists()

    def test_an_approved_message_is_deleted_once_off_the_calendar(self, shop):
        from terrain.atelier.services.publishing import message_unschedule

        message = _approved(shop)
        message_schedule(message=message, at=timezone.now() + timedelta(days=1), by=shop.eve)
        with pytest.raises(ValidationError):  # scheduled: off the calendar first
            services.message_delete(message=message, by=shop.dana)
        message_unschedule(message=message, by=shop.eve)
        services.message_delete(message=message, by=shop.dana)
        assert not Message.objects.exists()
        assert not Publication.objects.exists()

    def test_a_message_with_a_publication_out_is_kept(self, shop, alice):
        from terrain.atelier.services.publishing import message_unschedule

        message = _approved(shop)
        message_schedule(message=message, at=timezone.now() + timedelta(days=1), by=shop.eve)
        Publication.objects.filter(account=shop.mastodon).update(state=Publication.State.PUBLISHED)
        message_unschedule(message=message, by=shop.eve)  # the Bluesky one comes off; Mastodon has it
        with pytest.raises(ValidationError):
            services.message_delete(message=message, by=alice)
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
        with pytest.raises(ValidationError):
            services.message_delete(message=message, by=alice)
        assert Message.objects.exists()


class TestScheduling:
    def test_approval_required_an_approver_must_approve_first(self, shop):
        message = _draft(shop, author=shop.eve)
        with pytest.raises(ValidationError):
            services.message_plan_publication(message=message, by=shop.eve, at=timezone.now() + timedelta(days=1))
        services.message_approve(message=message, by=shop.eve)
        message = services.message_plan_publication(message=message, by=shop.eve, at=timezone.now() + timedelta(days=1))
        assert message.status == Message.Status.SCHEDULED
        assert Publication.objects.count() == 2

    def test_without_approval_an_approver_schedules_a_draft_directly(self, shop):
        shop.strategy.approval_required = False
        shop.strategy.save()
        message = _draft(shop, author=shop.eve)
        message = services.message_plan_publication(message=message, by=shop.eve, at=timezone.now() + timedelta(days=1))
        assert message.status == Message.Status.SCHEDULED

    def test_without_approval_a_plain_writer_still_cannot_schedule(self, shop):
        shop.strategy.approval_required = False
        shop.strategy.save()
        with pytest.raises(PermissionDenied):
            services.message_plan_publication(message=_draft(shop), by=shop.dana, at=timezone.now() + timedelta(days=1))

    def test_a_past_time_is_refused_and_none_means_now(self, shop):
        message = _approved(shop)
        with pytest.raises(ValidationError):
            services.message_plan_publication(message=message, by=shop.eve, at=timezone.now() - timedelta(hours=1))
        message = services.message_plan_publication(message=message, by=shop.eve, at=None)
        assert message.status == Message.Status.SCHEDULED
        assert abs((message.scheduled_at - timezone.now()).total_seconds()) < 60


class TestShareOutside:
    def test_a_news_post_becomes_a_draft_with_its_images_and_their_alt(self, shop):
        from terrain.news.services import ImageUpload, post_create

        post = post_create(
            cooperative=shop.world.private_coop,
            author=shop.world.alice,
            body_html="<p>Grève <strong>jeudi</strong> &amp; vendredi</p><p>Rendez-vous devant l'entrée.</p>",
            images=[ImageUpload(file=make_image_file(), alt_text="Le piquet de grève")],
        )
        message = services.message_from_post(post=post, structure=shop.structure, by=shop.dana)
        assert message.body == "Grève jeudi & vendredi\nRendez-vous devant l'entrée."
        assert message.source_post == post
        assert message.status == Message.Status.DRAFT
        image = message.images.get()
        assert image.alt_text == "Le piquet de grève"
        assert image.image.read()[:3] == b"\xff\xd8\xff"
        again = services.message_from_post(post=post, structure=shop.structure, by=shop.dana)
        assert again.pk == message.pk
