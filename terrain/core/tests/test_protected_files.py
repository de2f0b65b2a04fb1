"""Uploads are streamed by one function (``terrain.lib.http.protected_file``), with the same headers.

Profile photos, post and message images, cooperative pictures, relayed images,
the signed addresses of images being published, and the smaller copies of all
of them: each view checks access, then hands the file to that function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

import terrain
from terrain.accounts.tests.test_photo_view import _give_photo
from terrain.news.services import ImageUpload, post_create
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture(world):
    post = post_create(
        cooperative=world.private_coop,
        author=world.alice,
        body_html="<div>Photo</div>",
        images=[ImageUpload(make_image_file(size=(1600, 1200)), "Une banderole")],
    )
    return post.images.get()


def _assert_protected(response, *, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]


@pytest.mark.parametrize("width", ["", "?w=360"])
def test_a_post_image_and_its_smaller_copy_carry_the_headers_and_revalidate(bob_client, picture, width):
    url = reverse("news:image", args=[picture.code]) + width
    response = bob_client.get(url)
    _assert_protected(response, content_type="image/jpeg")
    body = b"".join(response.streaming_content)

    again = bob_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == response["ETag"] and "private" in again["Cache-Control"]
    # The copy and the original are two files: a cache never confuses them.
    other = bob_client.get(reverse("news:image", args=[picture.code]) + ("" if width else "?w=360"))
    assert other["ETag"] != response["ETag"] and b"".join(other.streaming_content) != body


def test_a_profile_photo_carries_the_same_headers(world, bob_client):
    _give_photo(world.alice)
    response = bob_client.get(reverse("accounts:photo", args=[world.alice.code]))
    _assert_protected(response, content_type="image/jpeg")


def test_a_revalidation_is_still_checked_for_access(charlie_client, picture):
    url = reverse("news:image", args=[picture.code])
    assert charlie_client.get(url, HTTP_IF_NONE_MATCH="*").status_code in (403, 404)


def test_no_other_code_builds_a_file_response():
    root = Path(terrain.__file__).parent
    helper = root / "lib" / "http.py"
    builders = [
        f"{path.relative_to(root.parent)}:{node.lineno}"
        for path in root.rglob("*.py")
        if path != helper and "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Name | ast.Attribute)
        and (node.id if isinstance(node, ast.Name) else node.attr) in ("FileResponse", "StreamingHttpResponse")
    ]
    assert builders == []
