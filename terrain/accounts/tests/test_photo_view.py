"""Streaming profile photos to the people allowed to see them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from terrain.accounts.models import Visibility
from terrain.accounts.services import profile_update
from terrain.accounts.tests._images import phone_photo
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.lib.images import clean_image


def _give_photo(person, upload=None, visibility: str = Visibility.COOPERATIVES) -> None:
    profile_update(
        user=person,
        display_name=person.display_name,
        handle=person.handle,
        bio=person.bio,
        email_visibility=person.email_visibility,
        photo_visibility=visibility,
        bio_visibility=person.bio_visibility,
        language=person.language,
        time_zone=person.timezone,
        photo=clean_image(upload or phone_photo(), max_side=512),
    )


def _url(person) -> str:
    return reverse("accounts:photo", args=[person.code])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.outsider("accounts:photo")
def test_photo_is_refused_to_anonymous_and_to_outsiders(client: Client, charlie_client: Client, alice):
    _give_photo(alice, visibility=Visibility.COOPERATIVES)
    assert_login_required(client.get(_url(alice)))
    assert_refused(charlie_client.get(_url(alice)))
    assert_refused(charlie_client.get(reverse("accounts:photo", args=["zzzzzzzzzzzzzz"])))


@pytest.mark.django_db
def test_photo_is_streamed_privately_cached_and_clean(bob_client: Client, alice):
    _give_photo(alice)
    response = bob_client.get(_url(alice))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    with Image.open(io.BytesIO(_body(response))) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}


@pytest.mark.django_db
def test_transparent_png_keeps_its_type(bob_client: Client, alice):
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
    _give_photo(alice, upload=SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png"))
    response = bob_client.get(_url(alice))
    assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_no_photo_is_a_404(alice_client: Client, alice):
    assert_refused(alice_client.get(_url(alice)))


@pytest.mark.django_db
def test_photo_for_nobody_is_seen_only_by_its_owner(alice_client: Client, bob_client: Client, alice):
    _give_photo(alice, visibility=Visibility.NOBODY)
    assert_refused(bob_client.get(_url(alice)))
    assert alice_client.get(_url(alice)).status_code == 200


@pytest.mark.django_db
def test_photo_for_the_platform_is_seen_by_anyone_signed_in(charlie_client: Client, client: Client, alice):
    _give_photo(alice, visibility=Visibility.PLATFORM)
    assert charlie_client.get(_url(alice)).status_code == 200
    assert_login_required(client.get(_url(alice)))


@pytest.mark.django_db
def test_missing_file_on_disk_is_a_404_not_a_crash(bob_client: Client, alice):
    _give_photo(alice)
    alice.photo.storage.delete(alice.photo.name)
    assert_refused(bob_client.get(_url(alice)))


@pytest.mark.django_db
def test_avatar_url_changes_with_a_new_photo(bob_client: Client, alice):
    _give_photo(alice)
    first = bob_client.get(reverse("accounts:profile", args=[alice.code])).content.decode()
    _give_photo(alice, upload=phone_photo("second.jpg"))
    second = bob_client.get(reverse("accounts:profile", args=[alice.code])).content.decode()
    prefix = f'src="{_url(alice)}?v='
    assert prefix in first and prefix in second
    assert first.split(prefix)[1][:8] != second.split(prefix)[1][:8]
