"""The composer: autosave, counters per network, previews, the coach's flags, images, without JavaScript too."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from terrain.atelier.models import Message, MessageImage, QueueSlot
from terrain.atelier.services import messages as services
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.tests.factories import make_image_file

HTMX = {"HTTP_HX_REQUEST": "true"}
KEY = "composer-key-0001"


@pytest.fixture
def shop(world):
    return make_workshop(world)


def new_url(shop) -> str:
    return reverse("atelier:message_new", args=[shop.structure.code])


def edit_url(message) -> str:
    return reverse("atelier:message_edit", args=[message.code])


def counter(html: str, network: str) -> str:
    """The text of one network's counter, spaces squeezed."""
    match = re.search(rf'<li class="(atelier-counter[^"]*)" data-network="{network}">(.*?)</li>', html, re.S)
    assert match, f"no counter for {network}"
    return match.group(1) + " | " + " ".join(re.sub(r"<[^>]+>", "", match.group(2)).split())


class TestNewMessage:
    def test_the_composer_autosaves_with_htmx_as_you_type(self, shop):
        html = client_for(shop.dana).get(new_url(shop)).content.decode()
        assert 'hx-trigger="keyup changed delay:500ms' in html
        assert 'name="submission_key"' in html
        assert "Pas encore enregistré" in html

    def test_nothing_typed_creates_nothing(self, shop):
        response = client_for(shop.dana).post(new_url(shop), {"submission_key": KEY}, **HTMX)
        assert response.status_code == 200
        assert not Message.objects.exists()

    def test_the_first_autosave_creates_the_draft_and_the_next_ones_update_it(self, shop):
        client = client_for(shop.dana)
        first = client.post(new_url(shop), {"submission_key": KEY, "body": "Bonjour"}, **HTMX)
        message = Message.objects.get()
        assert first["HX-Replace-Url"] == edit_url(message)
        assert "Enregistré à" in first.content.decode()
        client.post(new_url(shop), {"submission_key": KEY, "body": "Bonjour à toutes et tous"}, **HTMX)
        assert Message.objects.get().body == "Bonjour à toutes et tous"
        assert Message.objects.count() == 1

    def test_a_double_submit_makes_one_message(self, shop):
        client = client_for(shop.dana)
        data = {"submission_key": KEY, "body": "Assemblée jeudi. Venez !", "accounts": [shop.mastodon.code]}
        for _ in range(2):
            response = client.post(new_url(shop), {**data, "action": "submit"})
            assert response.status_code == 302
        message = Message.objects.get()
        assert message.status == Message.Status.SUBMITTED
        assert message.events.count() == 1  # the second sending found it submitted already

    def test_without_javascript_save_creates_then_opens_the_draft(self, shop):
        response = client_for(shop.dana).post(
            new_url(shop), {"submission_key": KEY, "body": "Sans JavaScript", "action": "save"}
        )
        message = Message.objects.get()
        assert response.status_code == 302
        assert response["Location"] == edit_url(message)

    def test_a_bad_link_keeps_what_was_typed(self, shop):
        response = client_for(shop.dana).post(
            new_url(shop), {"submission_key": KEY, "body": "Mon texte gardé", "link": "pas une adresse"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Mon texte gardé" in html
        assert f'value="{KEY}"' in html
        assert not Message.objects.exists()


class TestLiveFeedback:
    def test_counters_follow_each_network(self, shop):
        url = "https://www.example.org/" + "x" * 60  # 84 characters
        text = "é" * 290 + " " + url
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {"submission_key": KEY, "body": text, "accounts": [shop.mastodon.code, shop.bluesky.code, shop.x.code]},
                **HTMX,
            )
            .content.decode()
        )
        # Mastodon: the link counts 23; Bluesky: every character of it; X: 23 too.
        assert counter(html, "mastodon") == f"atelier-counter | Mastodon {290 + 1 + 23}/500"
        assert counter(html, "bluesky").startswith("atelier-counter atelier-counter--over | Bluesky 375/300")
        assert "75 de trop" in counter(html, "bluesky")
        assert counter(html, "x").startswith(f"atelier-counter atelier-counter--over | X {290 + 1 + 23}/280")

    def test_a_variant_is_counted_and_previewed_for_its_network(self, shop):
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {
                    "submission_key": KEY,
                    "body": "a" * 400,
                    "variant_bluesky": "Version courte pour Bluesky",
                    "accounts": [shop.mastodon.code, shop.bluesky.code],
                },
                **HTMX,
            )
            .content.decode()
        )
        assert counter(html, "bluesky") == "atelier-counter | Bluesky 27/300"
        assert "Version courte pour Bluesky" in html
        assert Message.objects.get().variants.get().network == "bluesky"

    def test_the_preview_escapes_the_text(self, shop):
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {"submission_key": KEY, "body": "<script>alert(1)</script>", "accounts": [shop.mastodon.code]},
                **HTMX,
            )
            .content.decode()
        )
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;" in html

    def test_the_coach_flags_acronyms_including_the_lexicon(self, shop):
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {"submission_key": KEY, "body": "Réunion du CHSCT jeudi.", "accounts": [shop.mastodon.code]},
                **HTMX,
            )
            .content.decode()
        )
        assert 'data-flag="acronym"' in html
        assert "comité d&#x27;hygiène et de sécurité" in html or "comité d'hygiène et de sécurité" in html

    def test_a_network_s_own_text_gets_the_coach_in_its_preview(self, shop):
        import re

        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {
                    "submission_key": KEY,
                    "body": "Le comité social et économique se réunit jeudi. Venez nombreux !",
                    "variant_bluesky": "LA NAO COMMENCE JEUDI",
                    "accounts": [shop.mastodon.code, shop.bluesky.code],
                },
                **HTMX,
            )
            .content.decode()
        )
        coach = html.split('id="coach-title"', 1)[1].split("atelier-preview", 1)[0]
        bluesky = html.split("atelier-preview--bluesky", 1)[1].split("</section>", 1)[0]
        mastodon = html.split("atelier-preview--mastodon", 1)[1].split("</section>", 1)[0]
        # The main text is clean; Bluesky's own text shouts an acronym, flagged in its preview.
        assert 'data-flag="acronym"' not in coach and 'data-flag="shouting"' not in coach
        assert "Conseils sur le texte pour Bluesky" in bluesky
        assert {"acronym", "shouting"} <= set(re.findall(r'data-flag="(\w+)"', bluesky))
        # No image: said once for the message, not again for each text.
        assert 'data-flag="no_image"' in coach and 'data-flag="no_image"' not in bluesky
        assert "data-flag" not in mastodon  # no text of its own: the main list covers it

    def test_fixing_the_acronym_removes_its_flag(self, shop):
        client = client_for(shop.dana)
        body = "Le comité social et économique se réunit jeudi. Venez nombreux !"
        html = client.post(
            new_url(shop), {"submission_key": KEY, "body": body, "accounts": [shop.mastodon.code]}, **HTMX
        ).content.decode()
        assert 'data-flag="acronym"' not in html

    def test_the_edit_page_shows_counters_and_flags_without_javascript(self, shop):
        message = services.message_create(
            structure=shop.structure, author=shop.dana, body="La NAO commence.", accounts=[shop.bluesky]
        )
        html = client_for(shop.dana).get(edit_url(message)).content.decode()
        assert counter(html, "bluesky") == "atelier-counter | Bluesky 16/300"
        assert 'data-flag="acronym"' in html
        assert "Enregistré à" in html

    def test_autosave_answers_in_a_bounded_number_of_queries(self, shop, django_assert_max_num_queries):
        message = services.message_create(
            structure=shop.structure, author=shop.dana, body="Texte", accounts=[shop.bluesky]
        )
        client = client_for(shop.dana)
        with django_assert_max_num_queries(30):
            client.post(edit_url(message), {"body": "Texte changé", "accounts": [shop.bluesky.code]}, **HTMX)


class TestImages:
    def test_an_image_is_added_and_its_description_saved_with_the_text(self, shop):
        client = client_for(shop.dana)
        message = services.message_create(
            structure=shop.structure, author=shop.dana, body="Photo", accounts=[shop.mastodon]
        )
        response = client.post(
            edit_url(message),
            {"body": "Photo", "accounts": [shop.mastodon.code], "action": "add_image", "image": make_image_file()},
        )
        assert response.status_code == 302
        image = message.images.get()
        assert image.alt_text == ""

        # Submitting refuses: the image has no description; the page says so and keeps the text.
        response = client.post(
            edit_url(message), {"body": "Photo", "accounts": [shop.mastodon.code], "action": "submit"}
        )
        assert response.status_code == 400
        assert "Décrivez l’image 1" in response.content.decode()

        client.post(
            edit_url(message),
            {
                "body": "Photo",
                "accounts": [shop.mastodon.code],
                f"alt_{image.code}": "La banderole",
                "action": "submit",
            },
        )
        image.refresh_from_db()
        assert image.alt_text == "La banderole"
        assert Message.objects.get().status == Message.Status.SUBMITTED

    def test_autosave_saves_the_descriptions_too(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Photo")
        image = services.message_image_add(message=message, by=shop.dana, file=make_image_file())
        client_for(shop.dana).post(edit_url(message), {"body": "Photo", f"alt_{image.code}": "Le cortège"}, **HTMX)
        image.refresh_from_db()
        assert image.alt_text == "Le cortège"

    def test_remove_an_image(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Photo")
        image = services.message_image_add(message=message, by=shop.dana, file=make_image_file(), alt_text="x")
        response = client_for(shop.dana).post(edit_url(message), {"body": "Photo", "remove_image": image.code})
        assert response.status_code == 302
        assert not MessageImage.objects.exists()

    def test_a_file_that_is_not_an_image_is_refused_with_the_text_kept(self, shop):
        from django.core.files.uploadedfile import SimpleUploadedFile

        message = services.message_create(structure=shop.structure, author=shop.dana, body="Photo")
        response = client_for(shop.dana).post(
            edit_url(message),
            {"body": "Texte gardé", "action": "add_image", "image": SimpleUploadedFile("a.png", b"nope", "image/png")},
        )
        assert response.status_code == 400
        assert "Texte gardé" in response.content.decode()
        assert not MessageImage.objects.exists()

    @pytest.mark.outsider("atelier:message_image")
    def test_images_are_served_to_the_workshop_only(self, shop, charlie_client, bob_client):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Photo")
        image = services.message_image_add(message=message, by=shop.dana, file=make_image_file(), alt_text="x")
        url = reverse("atelier:message_image", args=[image.code])
        response = client_for(shop.dana).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        assert bob_client.get(url).status_code == 403
        assert charlie_client.get(url).status_code == 404


class TestScheduleFromTheComposer:
    def test_a_writer_sees_no_schedule_and_cannot_force_it(self, shop):
        message = services.message_create(
            structure=shop.structure, author=shop.dana, body="Texte", accounts=[shop.mastodon]
        )
        client = client_for(shop.dana)
        html = client.get(edit_url(message)).content.decode()
        assert 'value="schedule"' not in html
        assert 'value="submit"' in html
        response = client.post(
            edit_url(message),
            {"body": "Texte", "accounts": [shop.mastodon.code], "action": "publish_now"},
        )
        assert response.status_code == 403
        assert Message.objects.get().status == Message.Status.DRAFT

    def test_an_approver_schedules_in_their_time_zone(self, shop):
        client = client_for(shop.eve)
        response = client.post(
            new_url(shop),
            {
                "submission_key": KEY,
                "body": "Rassemblement samedi. Venez !",
                "accounts": [shop.mastodon.code],
                "action": "schedule",
                "date": "2030-07-14",
                "time": "09:30",
            },
        )
        message = Message.objects.get()
        assert response.status_code == 302, response.content.decode()[:2000]
        assert message.status == Message.Status.SCHEDULED
        assert message.approved_by == shop.eve  # scheduling approved it in her name
        assert message.scheduled_at == datetime(2030, 7, 14, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
        assert message.scheduled_at.utcoffset() is not None

    def test_the_time_is_read_in_the_persons_own_time_zone(self, shop):
        shop.eve.timezone = "America/Guadeloupe"  # UTC-4, no daylight saving
        shop.eve.save(update_fields=["timezone"])
        client_for(shop.eve).post(
            new_url(shop),
            {
                "submission_key": KEY,
                "body": "Texte",
                "accounts": [shop.mastodon.code],
                "action": "schedule",
                "date": "2030-07-14",
                "time": "09:30",
            },
        )
        assert Message.objects.get().scheduled_at.isoformat() == "2030-07-14T13:30:00+00:00"

    def test_a_time_that_does_not_exist_is_refused(self, shop):
        response = client_for(shop.eve).post(
            new_url(shop),
            {
                "submission_key": KEY,
                "body": "Texte",
                "accounts": [shop.mastodon.code],
                "action": "schedule",
                "date": "2030-03-31",
                "time": "02:30",  # clocks jump from 2:00 to 3:00 that night in Paris
            },
        )
        assert response.status_code == 400
        assert "Cette heure n’existe pas ce jour-là" in response.content.decode()
        assert Message.objects.get().status == Message.Status.DRAFT

    def test_next_free_slot(self, shop):
        from datetime import time

        QueueSlot.objects.create(structure=shop.structure, weekday=2, local_time=time(12, 0))
        response = client_for(shop.eve).post(
            new_url(shop),
            {"submission_key": KEY, "body": "Texte", "accounts": [shop.mastodon.code], "action": "next_slot"},
        )
        assert response.status_code == 302
        message = Message.objects.get()
        local = message.scheduled_at.astimezone(ZoneInfo("Europe/Paris"))
        assert (local.weekday(), local.hour, local.minute) == (2, 12, 0)

    def test_a_writer_editing_an_approved_message_sends_it_back(self, shop):
        message = services.message_create(
            structure=shop.structure, author=shop.dana, body="Texte validé", accounts=[shop.mastodon]
        )
        services.message_approve(message=message, by=shop.eve)
        client = client_for(shop.dana)
        assert "doit être validé de nouveau" in client.get(edit_url(message)).content.decode()
        client.post(edit_url(message), {"body": "Texte modifié", "accounts": [shop.mastodon.code]}, **HTMX)
        assert Message.objects.get().status == Message.Status.DRAFT


class TestAccess:
    @pytest.mark.outsider("atelier:message_new")
    def test_new_message(self, shop, bob_client, charlie_client):
        url = new_url(shop)
        assert charlie_client.get(url).status_code == 404
        assert charlie_client.post(url, {"body": "x", "submission_key": KEY}).status_code == 404
        assert bob_client.get(url).status_code == 403
        assert client_for(shop.dana).get(url).status_code == 200
        assert not Message.objects.exists()

    @pytest.mark.outsider("atelier:message_edit")
    def test_edit(self, shop, bob_client, charlie_client):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Texte")
        url = edit_url(message)
        assert charlie_client.post(url, {"body": "piraté"}).status_code == 404
        assert bob_client.post(url, {"body": "piraté"}).status_code == 403
        assert Message.objects.get().body == "Texte"

    def test_an_autosave_on_a_published_message_changes_nothing_and_says_so(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Texte")
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
        response = client_for(shop.dana).post(edit_url(message), {"body": "Trop tard"}, **HTMX)
        assert response.status_code == 200
        assert response["HX-Reswap"] == "none"
        assert "ne peut plus être modifié" in response.content.decode()
        assert Message.objects.get().body == "Texte"

    def test_a_published_message_is_not_editable(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.dana, body="Texte")
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
        response = client_for(shop.dana).post(edit_url(message), {"body": "Trop tard"})
        assert response.status_code == 302
        assert Message.objects.get().body == "Texte"


class TestLinks:
    def test_the_link_shows_in_the_preview(self, shop):
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {
                    "submission_key": KEY,
                    "body": "Lisez notre tract.",
                    "link": "https://syndicat.example/tract",
                    "accounts": [shop.mastodon.code, shop.bluesky.code],
                },
                **HTMX,
            )
            .content.decode()
        )
        # The link ends the text: Mastodon counts it 23, Bluesky counts every character.
        assert counter(html, "mastodon") == f"atelier-counter | Mastodon {len('Lisez notre tract.') + 2 + 23}/500"
        length = len("Lisez notre tract.") + 2 + len("https://syndicat.example/tract")
        assert counter(html, "bluesky") == f"atelier-counter | Bluesky {length}/300"
        assert html.count("https://syndicat.example/tract") >= 2

    def test_a_link_that_would_make_bluesky_too_long_rides_in_the_card(self, shop):
        link = "https://syndicat.example/" + "x" * 40
        html = (
            client_for(shop.dana)
            .post(
                new_url(shop),
                {"submission_key": KEY, "body": "a" * 280, "link": link, "accounts": [shop.bluesky.code]},
                **HTMX,
            )
            .content.decode()
        )
        assert counter(html, "bluesky") == "atelier-counter atelier-counter--near | Bluesky 280/300"
