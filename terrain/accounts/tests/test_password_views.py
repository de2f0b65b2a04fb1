"""Forgotten password (Django's four views) and password change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.test import Client
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required

RESET = "/compte/mot-de-passe/oublie/"
NEW_PASSWORD = "une phrase facile à retenir"


def _reset_link(message) -> str:
    match = re.search(r"https?://[^\s]+/compte/mot-de-passe/nouveau/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0)


@pytest.mark.django_db
def test_reset_page_asks_for_the_address(client: Client):
    response = client.get(reverse("accounts:password_reset"))
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


@pytest.mark.django_db
def test_reset_mail_goes_through_the_queue_in_the_members_language(
    client: Client, alice, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
    settings.SITE_URL = "https://terrain.example.org"
    alice.language = "en"
    alice.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "Alice@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Choose a new password for Terrain"
    link = _reset_link(message)
    assert link.startswith("https://terrain.example.org/compte/mot-de-passe/nouveau/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link in html


@pytest.mark.django_db
def test_unknown_address_looks_the_same_and_sends_nothing(client: Client, world):
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_malformed_address_is_shown_again_with_an_error(client: Client, world):
    response = client.post(RESET, {"email": "alice-at-example"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="alice-at-example"' in response.content.decode()


@pytest.mark.django_db
def test_reset_link_sets_the_password_signs_in_and_works_once(client: Client, alice):
    client.post(RESET, {"email": "alice@example.org"})
    link = _reset_link(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 302  # Django moves the token out of the URL first
    form_url = response["Location"]

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"})
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors

    response = client.post(form_url, {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert get_user(client).pk == alice.pk
    assert client.get(response["Location"]).status_code == 200

    client.logout()
    response = client.get(f"/{path}", follow=True)
    assert response.context["validlink"] is False


@pytest.mark.django_db
def test_forged_reset_link_is_refused(client: Client, alice):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert reverse("accounts:password_reset") in response.content.decode()


@pytest.mark.django_db
def test_reset_complete_page_offers_to_sign_in_when_signed_out(client: Client, world):
    response = client.get(reverse("accounts:password_reset_complete"))
    assert response.status_code == 200
    assert reverse("accounts:login") in response.content.decode()


@pytest.mark.django_db
@pytest.mark.outsider("accounts:password_change")
def test_password_change_needs_to_be_signed_in(client: Client, world):
    assert_login_required(client.get(reverse("accounts:password_change")))
    assert_login_required(client.post(reverse("accounts:password_change"), {}))


@pytest.mark.django_db
def test_password_change_checks_the_current_password(alice_client: Client, alice):
    response = alice_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert not alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_saves_and_keeps_the_member_signed_in(alice_client: Client, alice):
    response = alice_client.post(
        reverse("accounts:password_change"),
        {"old_password": "motdepasse-solide-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_edit")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert get_user(alice_client).pk == alice.pk


@pytest.mark.django_db
def test_reset_link_names_the_member_by_code_not_by_id(client: Client, alice):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    client.post(RESET, {"email": "alice@example.org"})
    link = _reset_link(mail.outbox[0])
    uid, token = link.rstrip("/").split("/")[-2:]
    assert uid == alice.code
    assert uid != urlsafe_base64_encode(force_bytes(alice.pk))
    # The old form of the link (id in base 64) leads nowhere.
    old = reverse("accounts:password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(alice.pk)), token])
    response = client.get(old, follow=True)
    assert not response.context["validlink"]


@pytest.mark.django_db
def test_reset_mails_are_throttled_per_address(client: Client, alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.PASSWORD_RESET_INTERVAL_SECONDS = 900
    answers = {client.post(RESET, {"email": "alice@example.org"})["Location"] for _ in range(5)}
    # The same answer every time, one e-mail.
    assert answers == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 1
    alice.refresh_from_db()
    alice.password_reset_sent_at = timezone.now() - timedelta(seconds=901)
    alice.save(update_fields=["password_reset_sent_at"])
    client.post(RESET, {"email": "alice@example.org"})
    assert len(mail.outbox) == 2
