"""Post images are served to those who may read the post, and to nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
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
