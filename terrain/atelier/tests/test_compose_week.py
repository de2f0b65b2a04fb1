"""Writing a section's week quickly: accounts ticked ahead, a message started from the calendar,
scheduling leads back to the calendar, an image added in place (htmx) and still without JavaScript."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from terrain.atelier.models import Cadence, ConnectedAccount, Message
from terrain.atelier.services import messages as services
from terrain.atelier.services.scheduling import slot_add
from terrain.atelier.tests.compose_helpers import client_for, make_workshop
from terrain.tests.factories import make_image_file

HTMX = {"HTTP_HX_REQUEST": "true"}
KEY = "composer-key-0003"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def shop(world):
    return make_workshop(world, approval_required=False)


def new_url(shop) -> str:
    return reverse("atelier:message_new", args=[shop.structure.code])


def ticked(html: str) -> set[str]:
    """The account codes whose checkbox is checked."""
    return {
        value
        for tag in re.findall(r'<input type="checkbox" name="accounts"[^>]*>', html)
        if " checked" in tag
        for value in re.findall(r'value="([^"]+)"', tag)
    }


class TestAccountsTickedAhead:
    def test_the_networks_of_the_strategy_are_ticked_on_a_new_message(self, shop):
        Cadence.objects.create(strategy=shop.strategy, network="mastodon", posts_per_week=3)
        Cadence.objects.create(strategy=shop.strategy, network="bluesky", posts_per_week=2)
        html = client_for(shop.eve).get(new_url(shop)).content.decode()
        assert ticked(html) == {shop.mastodon.code, shop.bluesky.code}

    def test_the_accounts_of_ones_last_message_come_first(self, shop):
        Cadence.objects.create(strategy=shop.strategy, network="mastodon", posts_per_week=3)
        services.message_create(structure=shop.structure, author=shop.eve, body="Avant", accounts=[shop.x])
        services.message_create(structure=shop.structure, author=shop.dana, body="D'une autre", accounts=[shop.bluesky])
        html = client_for(shop.eve).get(new_url(shop)).content.decode()
        assert ticked(html) == {shop.x.code}

    def test_an_account_to_reconnect_is_never_ticked_ahead(self, shop):
        Cadence.objects.create(strategy=shop.strategy, network="bluesky", posts_per_week=3)
        ConnectedAccount.objects.filter(pk=shop.bluesky.pk).update(status=ConnectedAccount.Status.BROKEN)
        assert ticked(client_for(shop.eve).get(new_url(shop)).content.decode()) == set()

    def test_a_message_being_written_keeps_its_own_accounts(self, shop):
        Cadence.objects.create(strategy=shop.strategy, network="mastodon", posts_per_week=3)
        message = services.message_create(structure=shop.structure, author=shop.eve, body="Sans compte")
        url = reverse("atelier:message_edit", args=[message.code])
        assert ticked(client_for(shop.eve).get(url).content.decode()) == set()


class TestStartFromTheCalendar:
    def test_a_free_slot_starts_a_message_on_its_day_and_time(self, shop):
        in_two_days = datetime.now(PARIS).date() + timedelta(days=2)
        slot_add(structure=shop.structure, weekday=in_two_days.weekday(), local_time=time(12))
        client = client_for(shop.eve)
        calendar_url = reverse("atelier:calendar", args=[shop.structure.code])
        calendar = client.get(f"{calendar_url}?vue=semaine&date={in_two_days.isoformat()}").content
        links = re.findall(r'<li class="cal-free[^"]*"><a href="([^"]+)"', calendar.decode())
        assert links, "a free slot is a link"
        link = links[0].replace("&amp;", "&")
        day = re.search(r"date=(\d{4}-\d\d-\d\d)", link).group(1)
        html = client.get(link).content.decode()
        assert f'name="date" value="{day}"' in html
        assert 'name="time" value="12:00"' in html

    def test_a_gap_starts_a_message_for_its_network(self, shop):
        Cadence.objects.create(strategy=shop.strategy, network="bluesky", posts_per_week=3)
        client = client_for(shop.eve)
        services.message_create(structure=shop.structure, author=shop.eve, body="Avant", accounts=[shop.mastodon])
        calendar = client.get(reverse("atelier:calendar", args=[shop.structure.code]) + "?vue=semaine").content
        link = re.search(r'<a class="cal-gap__write" href="([^"]+)"', calendar.decode()).group(1)
        html = client.get(link.replace("&amp;", "&")).content.decode()
        assert ticked(html) == {shop.mastodon.code, shop.bluesky.code}
        assert f'name="date" value="{datetime.now(PARIS).date().isoformat()}"' in html

    def test_a_day_gone_by_or_garbage_starts_an_empty_form(self, shop):
        client = client_for(shop.eve)
        yesterday = (datetime.now(PARIS).date() - timedelta(days=1)).isoformat()
        for query in (f"?date={yesterday}&heure=10:00", "?date=demain&heure=midi&reseau=minitel"):
            response = client.get(new_url(shop) + query)
            assert response.status_code == 200
            assert 'name="date" value=' not in response.content.decode()


def test_scheduling_from_the_composer_leads_to_the_week_in_the_calendar(shop):
    client = client_for(shop.eve)
    response = client.post(
        new_url(shop),
        {
            "submission_key": KEY,
            "body": "Rassemblement samedi",
            "accounts": [shop.mastodon.code],
            "action": "schedule",
            "date": "2030-07-13",
            "time": "10:00",
        },
    )
    message = Message.objects.get()
    calendar = reverse("atelier:calendar", args=[shop.structure.code])
    assert response["Location"] == f"{calendar}?vue=semaine&date=2030-07-13#cal-{message.code}"
    page = client.get(f"{calendar}?vue=semaine&date=2030-07-13").content.decode()
    assert "Le message est programmé" in page
    assert f'href="{new_url(shop)}"' in page  # and the next message is one click away


class TestImageInPlace:
    def test_with_htmx_the_image_is_added_and_the_answer_holds_the_images_and_what_was_typed(self, shop):
        client = client_for(shop.eve)
        response = client.post(
            new_url(shop),
            {
                "submission_key": KEY,
                "body": "Texte en cours",
                "accounts": [shop.mastodon.code],
                "action": "add_image",
                "image": make_image_file(),
                "image_alt": "Une banderole rouge",
            },
            **HTMX,
        )
        assert response.status_code == 200
        message = Message.objects.get()
        assert response["HX-Replace-Url"] == reverse("atelier:message_edit", args=[message.code])
        image = message.images.get()
        assert image.alt_text == "Une banderole rouge"
        html = response.content.decode()
        assert 'id="images"' in html and 'id="composer-live"' in html
        assert f'name="alt_{image.code}"' in html and 'value="Une banderole rouge"' in html
        assert "L’image est ajoutée." in html or "image est ajoutée" in html
        assert "Texte en cours" in html

    def test_with_htmx_no_file_says_so_in_place(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.eve, body="Texte")
        response = client_for(shop.eve).post(
            reverse("atelier:message_edit", args=[message.code]),
            {"body": "Texte", "action": "add_image"},
            **HTMX,
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
        assert not message.images.exists()

    def test_without_javascript_the_image_button_still_posts_the_form(self, shop):
        message = services.message_create(structure=shop.structure, author=shop.eve, body="Texte")
        url = reverse("atelier:message_edit", args=[message.code])
        response = client_for(shop.eve).post(
            url, {"body": "Texte", "action": "add_image", "image": make_image_file(), "image_alt": "Photo"}
        )
        assert response.status_code == 302 and response["Location"] == url + "#images"  # no day typed
        assert message.images.count() == 1


def test_without_javascript_the_day_and_time_typed_survive_an_image(shop):
    message = services.message_create(structure=shop.structure, author=shop.eve, body="Texte")
    url = reverse("atelier:message_edit", args=[message.code])
    client = client_for(shop.eve)
    response = client.post(
        url,
        {
            "body": "Texte",
            "action": "add_image",
            "image": make_image_file(),
            "image_alt": "Photo",
            "date": "2030-07-13",
            "time": "10:00",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'name="date" value="2030-07-13"' in html and 'name="time" value="10:00"' in html
