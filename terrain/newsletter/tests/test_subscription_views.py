"""Public subscription with double opt-in, one-click unsubscription, and the managers' page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.newsletter.models import Subscriber
from terrain.newsletter.services import unsubscribe_token

pytestmark = pytest.mark.django_db


def _subscribe(client, structure, email, capture):
    with capture(execute=True):
        return client.post(reverse("newsletter:subscribe", args=[structure.code]), {"email": email})


def _link_in(message) -> str:
    return re.search(r"https?://\S+/lettre/confirmer/\S+/", message.body).group(0)


def test_closed_newsletter_does_not_exist(world, client):
    assert client.get(reverse("newsletter:subscribe", args=[world.section.code])).status_code == 404
    assert client.get(reverse("newsletter:subscribe", args=["aaaaaaaaaaaaaa"])).status_code == 404
    assert client.get(reverse("newsletter:subscribe", args=["nope"])).status_code == 404


def test_double_opt_in(world, newsletter_account, client, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "http://testserver"
    page = client.get(reverse("newsletter:subscribe", args=[world.section.code]))
    assert page.status_code == 200
    assert "Section Hôpital Nord" in page.content.decode()
    response = _subscribe(client, world.section, "Nadia@Example.org ", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("nadia@example.org", "pending")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.org"]
    link = _link_in(mail.outbox[0])

    # Opening the link (or a mail scanner opening it) does not confirm; pressing the button does.
    assert client.get(link).status_code == 200
    assert Subscriber.objects.get().status == "pending"
    assert client.post(link).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"
    assert client.post(link[:-5] + "xxxx/").status_code == 404


def test_the_form_never_tells_whether_an_address_is_known(
    world, newsletter_account, client, django_capture_on_commit_callbacks
):
    first = _subscribe(client, world.section, "nadia@example.org", django_capture_on_commit_callbacks)
    Subscriber.objects.update(status="confirmed")
    again = _subscribe(client, world.section, "nadia@example.org", django_capture_on_commit_callbacks)
    other = _subscribe(client, world.section, "other@example.org", django_capture_on_commit_callbacks)
    strip = lambda r: re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(first) == strip(again) == strip(other)
    assert [m.to for m in mail.outbox] == [["nadia@example.org"], ["other@example.org"]]
    # Asking again at once sends nothing more (no mail bombing through the form).
    _subscribe(client, world.section, "other@example.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_robots_filling_the_hidden_field_subscribe_nobody(world, newsletter_account, client):
    client.post(reverse("newsletter:subscribe", args=[world.section.code]), {"email": "a@example.org", "website": "x"})
    assert not Subscriber.objects.exists()
    response = client.post(reverse("newsletter:subscribe", args=[world.section.code]), {"email": "pas une adresse"})
    assert response.status_code == 400


def test_one_click_unsubscribe_needs_no_session_nor_csrf(world, newsletter_account):
    subscriber = Subscriber.objects.create(structure=world.section, email="a@example.org", status="confirmed")
    url = reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)])
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"
    assert client.post(reverse("newsletter:unsubscribe", args=["forged"])).status_code == 404


@pytest.mark.outsider("newsletter:manage")
def test_manage_page_counts_without_addresses(
    world, newsletter_account, client, charlie_client, bob_client, alice_client
):
    url = reverse("newsletter:manage", args=[world.section.code])
    assert_login_required(client.get(url))
    assert_refused(charlie_client.get(url))
    assert bob_client.get(url).status_code == 403
    Subscriber.objects.create(structure=world.section, email="secret@example.org", status="confirmed")
    Subscriber.objects.create(structure=world.section, email="attente@example.org")
    html = alice_client.get(url).content.decode()
    assert "1 abonné·e" in html
    assert "secret@example.org" not in html


@pytest.mark.outsider("newsletter:subscriber_remove")
def test_manager_removes_an_address(world, newsletter_account, charlie_client, bob_client, alice_client):
    Subscriber.objects.create(structure=world.section, email="secret@example.org", status="confirmed")
    url = reverse("newsletter:subscriber_remove", args=[world.section.code])
    assert_refused(charlie_client.post(url, {"email": "secret@example.org"}))
    assert bob_client.post(url, {"email": "secret@example.org"}).status_code == 403
    assert Subscriber.objects.get().status == "confirmed"
    assert alice_client.post(url, {"email": "SECRET@example.org"}).status_code == 302
    assert Subscriber.objects.get().status == "unsubscribed"


@pytest.mark.outsider("newsletter:channel_toggle")
def test_managers_open_and_close_the_channels(world, client, charlie_client, bob_client, alice_client):
    url = reverse("newsletter:channel_toggle", args=[world.section.code, "newsletter"])
    assert_refused(charlie_client.post(url, {"enable": "1"}))
    assert bob_client.post(url, {"enable": "1"}).status_code == 403
    assert alice_client.post(url, {"enable": "1"}).status_code == 302
    account = ConnectedAccount.objects.get(structure=world.section, network="newsletter")
    assert (account.remote_id, account.status) == (world.section.code, "active")
    assert client.get(reverse("newsletter:subscribe", args=[world.section.code])).status_code == 200
    alice_client.post(url)
    assert client.get(reverse("newsletter:subscribe", args=[world.section.code])).status_code == 404
    assert alice_client.post(reverse("newsletter:channel_toggle", args=[world.section.code, "x"])).status_code == 404


def test_the_confirmation_link_does_not_carry_the_address(
    world, newsletter_account, client, django_capture_on_commit_callbacks
):
    from django.core import signing

    from terrain.newsletter.services import CONFIRM_SALT

    _subscribe(client, world.section, "nadia@example.org", django_capture_on_commit_callbacks)
    token = _link_in(mail.outbox[0]).rstrip("/").split("/")[-1]
    # Signed, not encrypted: what the token holds is readable by whoever sees the link.
    assert "nadia" not in str(signing.loads(token, salt=CONFIRM_SALT))
    assert "nadia" not in token
    assert client.post(_link_in(mail.outbox[0])).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"


def test_removing_an_address_answers_the_same_whether_it_was_subscribed(world, newsletter_account, alice_client):
    Subscriber.objects.create(structure=world.section, email="secret@example.org", status="confirmed")
    url = reverse("newsletter:subscriber_remove", args=[world.section.code])
    answers = []
    for email in ("secret@example.org", "jamais@example.org"):
        response = alice_client.post(url, {"email": email}, follow=True)
        answers.append([(m.level, str(m)) for m in response.context["messages"]])
    assert answers[0] == answers[1]
    assert Subscriber.objects.get().status == "unsubscribed"
