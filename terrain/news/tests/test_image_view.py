"""Post images are served to those who may read the post, and to nobody else."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.lib.images import rendition_name
from terrain.news.services import ImageUpload, post_create, post_delete
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(world):
    post = post_create(
        cooperative=world.private_coop,
        author=world.alice,
        body_html="<div>Photo</div>",
        images=[ImageUpload(make_image_file(), "Une banderole")],
    )
    return post.images.get()


def test_members_get_the_image_kept_private(world, bob_client, picture):
    response = bob_client.get(reverse("news:image", args=[picture.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert "private" in response["Cache-Control"]


@pytest.mark.outsider("news:image")
def test_outsiders_get_nothing(world, charlie_client, client, picture):
    url = reverse("news:image", args=[picture.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))
    assert_refused(charlie_client.get(reverse("news:image", args=["zzzzzzzzzzzzzz"])))


def test_the_image_of_a_deleted_post_is_gone(world, bob_client, picture):
    post_delete(post=picture.post, by=world.alice)
    assert bob_client.get(reverse("news:image", args=[picture.code])).status_code == 404


@pytest.fixture
def large_picture(world):
    post = post_create(
        cooperative=world.private_coop,
        author=world.alice,
        body_html="<div>Grande photo</div>",
        images=[ImageUpload(make_image_file(size=(1600, 1200)), "La manifestation")],
    )
    return post.images.get()


def _size(response) -> tuple[int, int]:
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        return image.size


def test_cards_offer_smaller_copies_to_small_screens(world, bob_client, large_picture):
    html = bob_client.get(reverse("news:post_detail", args=[large_picture.post.code])).content.decode()

    url = reverse("news:image", args=[large_picture.code])
    img = re.search(r"<img [^>]*alt=\"La manifestation\"[^>]*>", html).group(0)
    assert f'srcset="{url}?w=360 360w, {url}?w=720 720w, {url}?w=1080 1080w, {url} 1600w"' in img
    assert 'sizes="(max-width: 40rem) 100vw, 40rem"' in img
    assert f'src="{url}?w=720"' in img and 'width="1600" height="1200"' in img


def test_a_small_picture_has_no_copies(world, bob_client, picture):
    html = bob_client.get(reverse("news:post_detail", args=[picture.post.code])).content.decode()
    img = re.search(r"<img [^>]*alt=\"Une banderole\"[^>]*>", html).group(0)
    assert "srcset" not in img and f'src="{reverse("news:image", args=[picture.code])}"' in img


def test_a_copy_is_made_once_and_served_to_readers_only(world, bob_client, charlie_client, large_picture):
    url = reverse("news:image", args=[large_picture.code])

    first = bob_client.get(url, {"w": "360"})
    assert first.status_code == 200 and first["Content-Type"] == "image/jpeg"
    assert _size(first) == (360, 270)
    assert "private" in first["Cache-Control"]
    stored = rendition_name(large_picture.image.name, 360)
    assert large_picture.image.storage.exists(stored)
    assert _size(bob_client.get(url, {"w": "360"})) == (360, 270)  # read back from storage
    # Only the widths offered; anything else is the original.
    assert _size(bob_client.get(url, {"w": "100"})) == (1600, 1200)
    assert _size(bob_client.get(url, {"w": "abc"})) == (1600, 1200)
    # The access check comes first, for copies as for the original.
    assert_refused(charlie_client.get(url, {"w": "720"}))
    assert not large_picture.image.storage.exists(rendition_name(large_picture.image.name, 720))
