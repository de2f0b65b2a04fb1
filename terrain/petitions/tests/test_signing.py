"""Signing a petition: double opt-in, once per address, never telling who signed, purged if unconfirmed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from terrain.petitions import services
from terrain.petitions.models import Petition, Signature
from terrain.petitions.purge import signatures_purge
from terrain.petitions.tokens import confirm_token

pytestmark = pytest.mark.django_db


def _links(message) -> tuple[str, str]:
    confirm = re.search(r"https?://\S+/confirmer/\S+/", message.body).group(0)
    withdraw = re.search(r"https?://\S+/retirer/\S+/", message.body).group(0)
    return confirm, withdraw


def test_a_signature_counts_once_confirmed_by_the_button(client, petition, sign, settings):
    settings.SITE_URL = "http://testserver"
    response = sign("  Nadia@Example.ORG ", postal_code="13015", comment="Pour nos collègues")
    assert response.status_code == 302 and response["Location"].endswith(f"/petitions/{petition.code}/merci/")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "public" in thanks["Cache-Control"]
    signature = Signature.objects.get()
    assert signature.email == "nadia@example.org"
    assert signature.confirmed_at is None
    petition.refresh_from_db()
    assert petition.signature_count == 0  # unconfirmed: does not count
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.org"]
    confirm, _withdraw = _links(mail.outbox[0])

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get(confirm).status_code == 200
    petition.refresh_from_db()
    assert petition.signature_count == 0
    assert client.post(confirm).status_code == 200
    assert client.post(confirm).status_code == 200  # twice: still one
    petition.refresh_from_db()
    assert petition.signature_count == 1
    assert Signature.objects.get().confirmed_at is not None


def test_confirming_twice_counts_once(petition, sign):
    sign()
    signature = Signature.objects.get()
    assert services.signature_confirm(signature=signature) is True
    assert services.signature_confirm(signature=signature) is False
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_the_same_address_twice_counts_once_and_the_page_says_the_same(petition, sign, settings):
    first = sign("nadia@example.org")
    again = sign("NADIA@example.org", first_name="Autre", comment="changé")
    robot = sign("nadia@example.org", website="http://spam.example")
    assert first.status_code == again.status_code == robot.status_code == 302
    assert first["Location"] == again["Location"] == robot["Location"]
    assert first.content == again.content == robot.content
    assert Signature.objects.count() == 1
    assert Signature.objects.get().first_name == "Nadia"  # a stranger cannot rewrite it
    assert len(mail.outbox) == 1  # no second mail within RESEND_AFTER

    Signature.objects.update(confirmation_sent_at=timezone.now() - services.RESEND_AFTER - timedelta(seconds=1))
    sign("nadia@example.org")
    assert len(mail.outbox) == 2  # re-sent once the delay is over
    sign("nadia@example.org")
    assert len(mail.outbox) == 2

    services.signature_confirm(signature=Signature.objects.get())
    Signature.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=1))
    assert sign("nadia@example.org").status_code == 302
    assert len(mail.outbox) == 2  # confirmed: nothing more
    petition.refresh_from_db()
    assert petition.signature_count == 1


def test_bad_input_keeps_what_was_typed(petition, sign):
    response = sign("pas-une-adresse", first_name="Nadia", postal_code="!!")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Nadia"' in page and 'value="pas-une-adresse"' in page
    assert not Signature.objects.exists()


def test_unconfirmed_signatures_are_purged_after_seven_days(petition, sign):
    sign("old@example.org")
    sign("new@example.org")
    sign("kept@example.org")
    services.signature_confirm(signature=Signature.objects.get(email="kept@example.org"))
    Signature.objects.filter(email__in=["old@example.org", "kept@example.org"]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert signatures_purge() == {"unconfirmed": 1, "expired": 0}
    assert set(Signature.objects.values_list("email", flat=True)) == {"new@example.org", "kept@example.org"}


def test_signatures_are_erased_after_the_retention_but_the_count_stays(world, petition, sign, settings):
    settings.PETITION_RETENTION_DAYS = 30
    sign()
    services.signature_confirm(signature=Signature.objects.get())
    services.petition_move(petition=petition, to="closed", by=world.alice)
    assert signatures_purge()["expired"] == 0
    Petition.objects.update(closed_at=timezone.now() - timedelta(days=31))
    assert signatures_purge()["expired"] == 1
    petition.refresh_from_db()
    assert petition.signature_count == 1 and not Signature.objects.exists()


def test_withdrawing_erases_and_uncounts(client, petition, sign, settings):
    settings.SITE_URL = "http://testserver"
    sign()
    confirm, withdraw = _links(mail.outbox[0])
    client.post(confirm)
    assert client.get(withdraw).status_code == 200
    assert Signature.objects.exists()
    assert client.post(withdraw).status_code == 200
    assert not Signature.objects.exists()
    petition.refresh_from_db()
    assert petition.signature_count == 0
    assert client.post(withdraw).status_code == 200  # again: nothing left, nothing breaks
    assert client.post(confirm).status_code == 404


def test_a_closed_or_ended_petition_takes_no_signature(world, petition, sign, site, client):
    sign("early@example.org")
    services.petition_move(petition=petition, to="closed", by=world.alice)
    response = sign("late@example.org")
    assert response.status_code == 400
    assert Signature.objects.count() == 1
    token = confirm_token(Signature.objects.get())
    url = reverse("petitions_public:confirm", args=[site.slug, petition.code, token])
    assert client.post(url).status_code == 400
    services.petition_move(petition=petition, to="open", by=world.alice)
    Petition.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    assert sign("later@example.org").status_code == 400


def test_a_link_of_another_petition_or_forged_is_refused(world, petition, sign, site, client):
    sign()
    other = services.petition_save(structure=world.section, by=world.alice, title="Autre", text="Autre", goal=10)
    services.petition_move(petition=other, to="open", by=world.alice)
    token = confirm_token(Signature.objects.get())
    assert client.post(reverse("petitions_public:confirm", args=[site.slug, other.code, token])).status_code == 404
    forged = reverse("petitions_public:confirm", args=[site.slug, petition.code, token[:-2] + "xx"])
    assert client.post(forged).status_code == 404
    petition.refresh_from_db()
    assert petition.signature_count == 0


def test_a_confirmation_is_queued_as_a_task_after_commit(petition, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.signature_request(petition=petition, first_name="A", last_name="B", email="a@example.org")
    assert len(callbacks) == 1
    assert not mail.outbox  # nothing sent inside the transaction
