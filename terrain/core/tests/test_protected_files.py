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


def test_a_reader_asks_for_part_of_a_file_as_a_video_player_does(bob_client, picture):
    url = reverse("news:image", args=[picture.code])
    whole = bob_client.get(url)
    body = b"".join(whole.streaming_content)
    size = len(body)
    assert whole["Accept-Ranges"] == "bytes"

    part = bob_client.get(url, HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 0-9/{size}"
    assert b"".join(part.streaming_content) == body[:10] and part["Content-Length"] == "10"
    assert part["Content-Type"] == "image/jpeg" and part["X-Content-Type-Options"] == "nosniff"
    tail = bob_client.get(url, HTTP_RANGE="bytes=-5")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == body[-5:]
    rest = bob_client.get(url, HTTP_RANGE=f"bytes={size - 3}-")
    assert b"".join(rest.streaming_content) == body[-3:]
    assert rest["Content-Range"] == f"bytes {size - 3}-{size - 1}/{size}"
    beyond = bob_client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    # Several ranges, a range of another version of the file, a smaller copy: the whole file.
    for headers in ({"HTTP_RANGE": "bytes=0-1,4-5"}, {"HTTP_RANGE": "bytes=0-9", "HTTP_IF_RANGE": '"other"'}):
        response = bob_client.get(url, **headers)
        assert response.status_code == 200 and b"".join(response.streaming_content) == body
    assert bob_client.get(url, {"w": 360}, HTTP_RANGE="bytes=0-9").status_code == 200
    same = bob_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=whole["ETag"])
    assert same.status_code == 206


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
