"""Editing one's own profile: names, photo, bio, who sees what, language and time zone."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from terrain.accounts.tests._images import phone_photo, text_file_named_jpg
from terrain.core.tests.helpers import assert_login_required

URL = "/compte/profil/"


def _data(user, **changes) -> dict:
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": user.bio,
        "email_visibility": user.email_visibility,
        "photo_visibility": user.photo_visibility,
        "bio_visibility": user.bio_visibility,
        "language": user.language,
        "time_zone": user.timezone,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.outsider("accounts:profile_edit")
def test_profile_edit_needs_to_be_signed_in(client: Client, world):
    assert_login_required(client.get(reverse("accounts:profile_edit")))
    assert_login_required(client.post(reverse("accounts:profile_edit"), {"display_name": "Intrus"}))


@pytest.mark.django_db
def test_profile_form_shows_the_current_values(alice_client: Client, alice):
    response = alice_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Alice Martin"' in html
    assert f'value="{alice.handle}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert response.context["nav"] == "account"


@pytest.mark.django_db
def test_saving_the_profile_changes_every_field(alice_client: Client, alice):
    response = alice_client.post(
        URL,
        _data(
            alice,
            display_name="  Alice   Martin-Roux ",
            handle="@Alice.Roux",
            bio="Infirmière, élue au CSE.\n<b>pas de HTML</b>",
            email_visibility="platform",
            photo_visibility="nobody",
            bio_visibility="platform",
            time_zone="Indian/Reunion",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    alice.refresh_from_db()
    assert alice.display_name == "Alice Martin-Roux"
    assert alice.handle == "alice.roux"
    assert alice.bio == "Infirmière, élue au CSE.\n<b>pas de HTML</b>"  # stored as typed, escaped when shown
    assert (alice.email_visibility, alice.photo_visibility, alice.bio_visibility) == ("platform", "nobody", "platform")
    assert alice.timezone == "Indian/Reunion"
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


@pytest.mark.django_db
def test_any_valid_time_zone_is_accepted_and_stays_selectable(alice_client: Client, alice):
    response = alice_client.post(URL, _data(alice, time_zone="Asia/Tokyo"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"
    assert '<option value="Asia/Tokyo" selected>' in alice_client.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"handle": "ab"}, "handle"),
        ({"handle": "marie dupont"}, "handle"),
        ({"handle": "marie_dupont"}, "handle"),
        ({"handle": ".marie"}, "handle"),
        ({"handle": "x" * 41}, "handle"),
        ({"handle": "bob.durand"}, "handle"),  # Bob's
        ({"handle": "BOB.DURAND"}, "handle"),
        ({"display_name": "   "}, "display_name"),
        ({"bio": "x" * 601}, "bio"),
        ({"email_visibility": "everyone"}, "email_visibility"),
        ({"language": "de"}, "language"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ],
)
def test_bad_input_is_shown_again_with_the_typed_values(alice_client: Client, alice, bob, changes, field):
    before = (alice.display_name, alice.handle, alice.bio, alice.email_visibility, alice.timezone)
    data = _data(alice, **{"display_name": "Alice Nouvelle", **changes})
    if field != "bio":
        data["bio"] = "Ma bio en cours"
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    if field != "display_name":
        assert 'value="Alice Nouvelle"' in html
    if field != "bio":
        assert "Ma bio en cours" in html
    alice.refresh_from_db()
    assert (alice.display_name, alice.handle, alice.bio, alice.email_visibility, alice.timezone) == before


@pytest.mark.django_db
def test_a_new_name_is_what_member_searches_find(alice_client: Client, alice, world):
    members = reverse("cooperatives:members", args=[world.open_coop.code])
    alice_client.post(URL, _data(alice, display_name="Hélène Martin", handle="leny"))

    def found(q: str) -> list:
        return [m.user for m in alice_client.get(members, {"q": q}).context["page"].object_list]

    assert found("HELENE") == [alice]
    assert found("LENY") == [alice]
    assert found("alice") == []


@pytest.mark.django_db
def test_keeping_ones_own_handle_is_not_a_conflict(alice_client: Client, alice):
    response = alice_client.post(URL, _data(alice, handle=alice.handle.upper()))
    assert response.status_code == 302


@pytest.mark.django_db
def test_uploaded_photo_is_stored_small_and_without_its_exif_gps(alice_client: Client, alice):
    upload = phone_photo()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position
    upload.seek(0)
    response = alice_client.post(URL, {**_data(alice), "photo": upload})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.photo.name.startswith("photos/")
    assert "IMG_2024" not in alice.photo.name  # the phone's file name is not kept
    with alice.photo.open("rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert max(image.size) == 512


@pytest.mark.django_db
def test_a_text_file_named_jpg_is_refused_on_the_photo_field(alice_client: Client, alice):
    response = alice_client.post(URL, {**_data(alice, display_name="Alice Nouvelle"), "photo": text_file_named_jpg()})
    assert response.status_code == 200
    errors = response.context["form"].errors["photo"]
    assert errors
    assert errors[0] in response.content.decode()
    assert 'value="Alice Nouvelle"' in response.content.decode()
    alice.refresh_from_db()
    assert not alice.photo
    assert alice.display_name == "Alice Martin"


@pytest.mark.django_db
def test_replacing_then_removing_the_photo_deletes_the_old_files(
    alice_client: Client, alice, django_capture_on_commit_callbacks
):
    alice_client.post(URL, {**_data(alice), "photo": phone_photo()})
    alice.refresh_from_db()
    first = alice.photo.name
    storage = alice.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(URL, {**_data(alice), "photo": phone_photo("other.jpg")})
    alice.refresh_from_db()
    second = alice.photo.name
    assert second != first
    assert not storage.exists(first)
    assert storage.exists(second)

    assert "remove_photo" in alice_client.get(URL).context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(URL, {**_data(alice), "remove_photo": "on"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.photo
    assert not storage.exists(second)


@pytest.mark.django_db
def test_saving_in_english_switches_the_interface_at_once(alice_client: Client, alice):
    response = alice_client.post(URL, _data(alice, language="en"), follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Your profile is saved." in html
    assert response.redirect_chain[0][0] == URL
    alice.refresh_from_db()
    assert alice.language == "en"
    assert alice_client.cookies["django_language"].value == "en"
