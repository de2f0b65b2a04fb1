"""The message list, the message page and its workflow buttons, and "share outside"."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import Message, MessageEvent, Publication, PublicationAttempt
from terrain.atelier.services import messages as services
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.feed.models import Notification


@pytest.fixture
def shop(world):
    return make_workshop(world)


def _draft(shop, body="Assemblée générale jeudi à midi. Venez nombreux !"):
    return services.message_create(
        structure=shop.structure, author=shop.dana, body=body, accounts=[shop.mastodon, shop.bluesky]
    )


def _url(name, message):
    return reverse(f"atelier:{name}", args=[message.code])


class TestList:
    @pytest.mark.outsider("atelier:message_list")
    def test_only_the_workshop_sees_the_list(self, shop, bob_client, charlie_client):
        url = reverse("atelier:message_list", args=[shop.structure.code])
        assert charlie_client.get(url).status_code == 404
        assert bob_client.get(url).status_code == 403
        assert client_for(shop.dana).get(url).status_code == 200

    def test_filters_by_status(self, shop):
        draft = _draft(shop, body="Un brouillon")
        submitted = _draft(shop, body="Un message à valider")
        services.message_submit(message=submitted, by=shop.dana)
        url = reverse("atelier:message_list", args=[shop.structure.code])
        client = client_for(shop.dana)
        html = client.get(url, {"statut": "a-valider"}).content.decode()
        assert submitted.code in html and draft.code not in html
        html = client.get(url, {"statut": "brouillons"}).content.decode()
        assert draft.code in html and submitted.code not in html
        html = client.get(url).content.decode()
        assert draft.code in html and submitted.code in html
        assert "En attente de validation" in html  # the filter tab and the status

    def test_the_list_costs_a_bounded_number_of_queries(self, shop, django_assert_max_num_queries):
        for n in range(12):
            _draft(shop, body=f"Message {n}")
        client = client_for(shop.dana)
        url = reverse("atelier:message_list", args=[shop.structure.code])
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.content.decode().count('class="card atelier-message-row"') == 12


class TestMessagePage:
    @pytest.mark.outsider("atelier:message_detail")
    def test_only_the_workshop_sees_a_message(self, shop, bob_client, charlie_client):
        message = _draft(shop)
        assert charlie_client.get(_url("message_detail", message)).status_code == 404
        assert bob_client.get(_url("message_detail", message)).status_code == 403
        assert client_for(shop.eve).get(_url("message_detail", message)).status_code == 200

    @pytest.mark.outsider("atelier:message_in_structure")
    def test_the_calendar_link_leads_to_the_message(self, shop, charlie_client):
        message = _draft(shop)
        url = reverse("atelier:message_in_structure", args=[shop.structure.code, message.code])
        assert charlie_client.get(url).status_code == 404
        response = client_for(shop.dana).get(url)
        assert response.status_code == 302
        assert response["Location"] == _url("message_detail", message)
        other = reverse("atelier:message_in_structure", args=[shop.world.syndicat.code, message.code])
        assert client_for(shop.dana).get(other).status_code == 404

    def test_buttons_follow_the_role(self, shop):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        writer = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        approver = client_for(shop.eve).get(_url("message_detail", message)).content.decode()
        assert _url("message_approve", message) not in writer
        assert _url("message_request_changes", message) not in writer
        assert _url("message_approve", message) in approver
        assert _url("message_request_changes", message) in approver
        assert _url("message_schedule", message) in approver

    def test_the_actions_card_shows_only_when_there_is_something_to_do(self, shop):
        message = _draft(shop)
        assert "Et maintenant" in client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED, published_at=timezone.now())
        html = client_for(shop.eve).get(_url("message_detail", message)).content.decode()
        assert "Et maintenant" not in html  # published: nothing left to do, no empty card
        assert "Conversation et historique" in html

    def test_shows_the_texts_images_and_publications_with_their_state(self, shop):
        message = _draft(shop)
        services.message_update(
            message=message,
            by=shop.dana,
            body=message.body,
            accounts=[shop.mastodon, shop.bluesky],
            variants={"bluesky": "Texte propre à Bluesky"},
        )
        services.message_approve(message=message, by=shop.eve)
        message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=shop.eve)
        done = Publication.objects.get(account=shop.mastodon)
        Publication.objects.filter(pk=done.pk).update(
            state=Publication.State.PUBLISHED,
            attempts=2,
            remote_url="https://mastodon.example/@section/1",
            published_at=timezone.now(),
        )
        failed = Publication.objects.get(account=shop.bluesky)
        Publication.objects.filter(pk=failed.pk).update(
            state=Publication.State.FAILED, attempts=1, last_error="Le jeton a expiré : reconnectez le compte."
        )
        PublicationAttempt.objects.create(
            publication=failed, started_at=timezone.now(), outcome="auth", status_code=401, error="Unauthorized"
        )
        html = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        assert "Texte propre à Bluesky" in html
        assert "https://mastodon.example/@section/1" in html
        assert "2 tentatives" in html
        assert "Le jeton a expiré : reconnectez le compte." in html
        assert "Unauthorized" in html and "401" in html
        assert "Échec" in html

    def test_the_conversation_shows_comments_and_steps(self, shop):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        services.message_request_changes(message=message, by=shop.eve, text="Précise l'heure.")
        services.message_comment(message=message, by=shop.dana, text="C'est fait, midi pile.")
        html = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        assert html.index("Précise l&#x27;heure.") < html.index("C&#x27;est fait, midi pile.")
        assert "Eve Blanc" in html


class TestWorkflowButtons:
    @pytest.mark.outsider("atelier:message_submit")
    def test_submit(self, shop, bob_client, charlie_client, django_capture_on_commit_callbacks):
        message = _draft(shop)
        assert charlie_client.post(_url("message_submit", message)).status_code == 404
        assert bob_client.post(_url("message_submit", message)).status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(shop.dana).post(_url("message_submit", message))
        assert response.status_code == 302
        assert Message.objects.get().status == Message.Status.SUBMITTED
        assert {m.to[0] for m in mail.outbox} == {shop.eve.email, shop.world.alice.email}

    def test_the_approver_finds_the_notification_and_its_link(self, shop):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        client = client_for(shop.eve)
        html = client.get(reverse("feed:notifications")).content.decode()
        assert "Un message attend votre validation" in html
        assert "Assemblée générale jeudi à midi" in html
        note = Notification.objects.get(user=shop.eve)
        response = client.get(reverse("feed:notification_open", args=[note.code]))
        assert response["Location"] == _url("message_detail", message)

    @pytest.mark.outsider("atelier:message_approve")
    def test_approve_refused_to_a_writer(self, shop, charlie_client):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        assert charlie_client.post(_url("message_approve", message)).status_code == 404
        assert client_for(shop.dana).post(_url("message_approve", message)).status_code == 403
        assert Message.objects.get().status == Message.Status.SUBMITTED
        assert client_for(shop.eve).post(_url("message_approve", message)).status_code == 302
        assert Message.objects.get().status == Message.Status.APPROVED
        assert Notification.objects.filter(user=shop.dana, reason=Notification.Reason.MESSAGE_APPROVED).exists()

    @pytest.mark.outsider("atelier:message_request_changes")
    def test_request_changes(self, shop, charlie_client):
        message = _draft(shop)
        services.message_submit(message=message, by=shop.dana)
        url = _url("message_request_changes", message)
        assert charlie_client.post(url, {"text": "Non"}).status_code == 404
        assert client_for(shop.dana).post(url, {"text": "Non"}).status_code == 403
        assert client_for(shop.eve).post(url, {"text": ""}).status_code == 400
        assert client_for(shop.eve).post(url, {"text": "Sans sigle, stp."}).status_code == 302
        assert Message.objects.get().status == Message.Status.CHANGES_REQUESTED

    @pytest.mark.outsider("atelier:message_comment")
    def test_comment(self, shop, bob_client, charlie_client):
        message = _draft(shop)
        url = _url("message_comment", message)
        assert charlie_client.post(url, {"text": "Coucou"}).status_code == 404
        assert bob_client.post(url, {"text": "Coucou"}).status_code == 403
        assert client_for(shop.eve).post(url, {"text": "Très bien !"}).status_code == 302
        assert MessageEvent.objects.get(kind=MessageEvent.Kind.COMMENT).text == "Très bien !"
        assert Notification.objects.get(reason=Notification.Reason.MESSAGE_COMMENTED).user == shop.dana

    @pytest.mark.outsider("atelier:message_schedule")
    def test_schedule_from_the_message_page(self, shop, charlie_client):
        message = _draft(shop)
        url = _url("message_schedule", message)
        data = {"action": "schedule", "date": "2031-01-15", "time": "18:00"}
        assert charlie_client.post(url, data).status_code == 404
        assert client_for(shop.dana).post(url, data).status_code == 403
        assert client_for(shop.eve).post(url, data).status_code == 302
        message.refresh_from_db()
        assert message.status == Message.Status.SCHEDULED
        assert message.scheduled_at.isoformat() == "2031-01-15T17:00:00+00:00"  # 18:00 in Paris in winter
        assert Publication.objects.filter(state=Publication.State.PENDING).count() == 2

    def test_schedule_refusals_are_shown_on_the_page(self, shop):
        message = _draft(shop)
        response = client_for(shop.eve).post(
            _url("message_schedule", message), {"action": "schedule", "date": "2020-01-01", "time": "10:00"}
        )
        assert response.status_code == 400
        assert "déjà passée" in response.content.decode()

    def test_publish_now(self, shop):
        message = _draft(shop)
        services.message_approve(message=message, by=shop.eve)
        response = client_for(shop.eve).post(_url("message_schedule", message), {"action": "publish_now"})
        assert response.status_code == 302
        message.refresh_from_db()
        assert message.status == Message.Status.SCHEDULED
        assert message.scheduled_at <= timezone.now()

    @pytest.mark.outsider("atelier:message_unschedule")
    def test_unschedule(self, shop, charlie_client):
        message = _draft(shop)
        services.message_approve(message=message, by=shop.eve)
        message_schedule(message=message, at=timezone.now() + timedelta(days=2), by=shop.eve)
        url = _url("message_unschedule", message)
        assert charlie_client.post(url).status_code == 404
        assert client_for(shop.dana).post(url).status_code == 403
        assert client_for(shop.eve).post(url).status_code == 302
        assert Message.objects.get().status == Message.Status.APPROVED

    @pytest.mark.outsider("atelier:message_delete")
    def test_delete(self, shop, bob_client, charlie_client):
        message = _draft(shop)
        url = _url("message_delete", message)
        assert charlie_client.post(url).status_code == 404
        assert bob_client.post(url).status_code == 403
        assert client_for(shop.eve).post(url).status_code == 403  # neither the author nor a manager
        response = client_for(shop.dana).post(url)
        assert response["Location"] == reverse("atelier:message_list", args=[shop.structure.code])
        assert not Message.objects.exists()

    def test_an_approved_message_offers_delete_after_taking_it_off_the_calendar(self, shop):
        message = _draft(shop)
        services.message_approve(message=message, by=shop.eve)
        message_schedule(message=message, at=timezone.now() + timedelta(days=2), by=shop.eve)
        html = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        assert _url("message_delete", message) not in html  # scheduled: take it off first
        client_for(shop.eve).post(_url("message_unschedule", message))
        html = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        assert _url("message_delete", message) in html
        assert "Supprimer le message" in html
        response = client_for(shop.dana).post(_url("message_delete", message), follow=True)
        assert "Le message est supprimé." in response.content.decode()
        assert not Message.objects.exists()

    def test_reschedule_starts_from_the_current_date_in_the_viewers_time_zone(self, shop):
        message = _draft(shop)
        services.message_approve(message=message, by=shop.eve)
        at = timezone.now().replace(microsecond=0) + timedelta(days=3)
        message_schedule(message=message, at=at, by=shop.eve)
        shop.eve.timezone = "America/Montreal"
        shop.eve.save(update_fields=["timezone"])
        html = client_for(shop.eve).get(_url("message_detail", message)).content.decode()
        local = at.astimezone(zoneinfo.ZoneInfo("America/Montreal"))
        assert f'name="date" value="{local:%Y-%m-%d}"' in html
        assert f'name="time" value="{local:%H:%M}"' in html

    def test_views_refuse_get(self, shop):
        message = _draft(shop)
        assert client_for(shop.eve).get(_url("message_approve", message)).status_code == 405


class TestPartlyPublished:
    """Out on Mastodon, failed on Bluesky: the list, its failure filter and the page say it; one click retries."""

    @pytest.fixture
    def message(self, shop):
        message = _draft(shop)
        services.message_approve(message=message, by=shop.eve)
        message_schedule(message=message, at=timezone.now() + timedelta(hours=1), by=shop.eve)
        Publication.objects.filter(account=shop.mastodon).update(
            state=Publication.State.PUBLISHED,
            remote_url="https://mastodon.example/@section/1",
            published_at=timezone.now(),
        )
        Publication.objects.filter(account=shop.bluesky).update(
            state=Publication.State.FAILED, last_error="Le serveur ne répond pas."
        )
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED, published_at=timezone.now())
        return message

    def test_the_list_and_its_failure_filter_show_the_failure(self, shop, message):
        url = reverse("atelier:message_list", args=[shop.structure.code])
        html = client_for(shop.dana).get(url, {"statut": "echecs"}).content.decode()
        assert message.code in html
        assert "Publié en partie" in html
        assert "Publié sur 1 compte sur 2." in html
        assert "Échec sur Bluesky :" in html and "Le serveur ne répond pas." in html

    def test_the_page_says_where_it_failed_and_offers_a_retry_to_approvers(self, shop, message):
        html = client_for(shop.eve).get(_url("message_detail", message)).content.decode()
        assert "Publié en partie" in html
        assert "Publié sur 1 compte sur 2." in html
        assert "Échec sur Bluesky : Le serveur ne répond pas." in html
        assert _url("message_retry", message) in html
        writer = client_for(shop.dana).get(_url("message_detail", message)).content.decode()
        assert "Échec sur Bluesky" in writer
        assert _url("message_retry", message) not in writer  # sending is for approvers

    @pytest.mark.outsider("atelier:message_retry")
    def test_retry_queues_only_the_failed_publication(self, shop, message, bob_client, charlie_client):
        url = _url("message_retry", message)
        assert charlie_client.post(url).status_code == 404
        assert bob_client.post(url).status_code == 403
        assert client_for(shop.dana).post(url).status_code == 403
        assert client_for(shop.eve).get(url).status_code == 405
        response = client_for(shop.eve).post(url, follow=True)
        assert "Nouvel essai sur Bluesky." in response.content.decode()
        states = dict(Publication.objects.values_list("account__network", "state"))
        assert states == {"mastodon": Publication.State.PUBLISHED, "bluesky": Publication.State.PENDING}
        assert Message.objects.get().status == Message.Status.PUBLISHED
        again = client_for(shop.eve).post(url, follow=True).content.decode()
        assert "rien à réessayer" in again


class TestShareOutside:
    @pytest.fixture
    def post(self, shop):
        from terrain.news.services import post_create

        return post_create(
            cooperative=shop.world.private_coop, author=shop.world.alice, body_html="<p>Grève jeudi, venez !</p>"
        )

    def test_the_button_shows_on_the_post_page_for_writers_only(self, shop, post, bob_client):
        share = reverse("atelier:share_outside", args=[post.code])
        page = reverse("news:post_detail", args=[post.code])
        assert share in client_for(shop.dana).get(page).content.decode()
        assert share not in bob_client.get(page).content.decode()

    def test_the_feed_does_not_show_it(self, shop, post):
        html = client_for(shop.world.alice).get(reverse("cooperatives:detail", args=[shop.world.private_coop.code]))
        assert reverse("atelier:share_outside", args=[post.code]) not in html.content.decode()

    @pytest.mark.outsider("atelier:share_outside")
    def test_share_makes_a_draft_and_opens_it(self, shop, post, bob_client, charlie_client):
        url = reverse("atelier:share_outside", args=[post.code])
        assert charlie_client.post(url).status_code == 404
        assert bob_client.post(url).status_code == 403
        response = client_for(shop.world.alice).post(url)
        message = Message.objects.get()
        assert response["Location"] == _url("message_edit", message)
        assert message.body == "Grève jeudi, venez !"
        assert message.structure == shop.structure
        client_for(shop.world.alice).post(url)
        assert Message.objects.count() == 1

    def test_a_post_of_an_open_cooperative_has_no_workshop(self, shop):
        from terrain.news.services import post_create

        post = post_create(cooperative=shop.world.open_coop, author=shop.world.alice, body_html="<p>Ouvert</p>")
        assert client_for(shop.world.alice).post(reverse("atelier:share_outside", args=[post.code])).status_code == 404
