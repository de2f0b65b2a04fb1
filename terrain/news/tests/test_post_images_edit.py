"""The author of a published post adds, removes and describes anew its images; the feed's cached
card shows the change at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from terrain.lib.images import rendition_name
from terrain.news.models import PostImage
from terrain.news.services import ImageUpload, post_create
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(world):
    return post_create(
        cooperative=world.private_coop,
        author=world.bob,
        body_html="<div>Manifestation samedi</div>",
        images=[
            ImageUpload(make_image_file("a.jpg", size=(800, 600)), "Une banderole rouge"),
            ImageUpload(make_image_file("b.jpg"), "Le cortège place Bellecour"),
        ],
    )


def _edit(client, post, **data):
    return client.post(reverse("news:post_edit", args=[post.code]), {"body": post.body_html, **data})


def _feed_card(client, post) -> str:
    html = client.get(reverse("feed:home")).content.decode()
    match = re.search(rf'<article class="card post[^"]*" id="post-{post.code}".*?</article>', html, re.S)
    assert match, f"no card for post {post.code}"
    return match.group(0)


def _alts(card: str) -> list[str]:
    return re.findall(r'<img [^>]*alt="([^"]*)"[^>]*loading="lazy"', card)


def test_the_edit_page_shows_each_image_with_its_description(world, bob_client, post):
    page = bob_client.get(reverse("news:post_edit", args=[post.code])).content.decode()
    first, second = post.images.all()
    assert f'name="alt_{first.code}" value="Une banderole rouge"' in page
    assert f'name="remove_{second.code}"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="images"' in page


def test_the_author_corrects_a_description_and_the_cached_card_shows_it(world, alice_client, bob_client, post):
    first, second = post.images.all()
    assert _alts(_feed_card(alice_client, post)) == ["Une banderole rouge", "Le cortège place Bellecour"]

    response = _edit(
        bob_client, post, **{f"alt_{first.code}": "Une banderole de la CGT", f"alt_{second.code}": second.alt_text}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.alt_text == "Une banderole de la CGT"
    assert _alts(_feed_card(alice_client, post)) == ["Une banderole de la CGT", "Le cortège place Bellecour"]


def test_the_author_removes_an_image_and_its_files_go(
    world, alice_client, bob_client, post, django_capture_on_commit_callbacks
):
    first, second = post.images.all()
    _feed_card(alice_client, post)  # cached with both images
    storage = first.image.storage
    assert alice_client.get(reverse("news:image", args=[first.code]), {"w": 360}).status_code == 200
    copy = rendition_name(first.image.name, 360)
    assert storage.exists(first.image.name) and storage.exists(copy)

    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            bob_client, post, **{f"alt_{first.code}": first.alt_text, f"remove_{first.code}": "1",
                                 f"alt_{second.code}": second.alt_text}
        )  # fmt: skip

    assert response.status_code == 302
    assert list(post.images.values_list("code", "position")) == [(second.code, 0)]
    assert not storage.exists(first.image.name) and not storage.exists(copy)
    assert alice_client.get(reverse("news:image", args=[first.code])).status_code == 404
    assert _alts(_feed_card(alice_client, post)) == ["Le cortège place Bellecour"]


def test_the_author_adds_an_image_after_the_others(world, alice_client, bob_client, post):
    first, second = post.images.all()
    _feed_card(alice_client, post)

    response = _edit(
        bob_client, post, images=[make_image_file("c.png", fmt="PNG")], alt_1="La foule devant la mairie",
        **{f"alt_{first.code}": first.alt_text, f"alt_{second.code}": second.alt_text},
    )  # fmt: skip

    assert response.status_code == 302
    added = post.images.get(position=2)
    assert added.alt_text == "La foule devant la mairie"
    assert _alts(_feed_card(alice_client, post))[-1] == "La foule devant la mairie"


def test_an_image_kept_without_description_is_refused(world, bob_client, post):
    first, second = post.images.all()
    response = _edit(bob_client, post, **{f"alt_{first.code}": " ", f"alt_{second.code}": second.alt_text})

    assert response.status_code == 200
    assert "Décrivez-la en quelques mots" in response.content.decode()
    first.refresh_from_db()
    assert first.alt_text == "Une banderole rouge"


def test_a_new_image_without_description_or_past_the_limit_is_refused(world, bob_client, post, settings):
    first, second = post.images.all()
    kept = {f"alt_{first.code}": first.alt_text, f"alt_{second.code}": second.alt_text}
    response = _edit(bob_client, post, images=[make_image_file()], **kept)
    assert response.status_code == 200 and post.images.count() == 2

    settings.MAX_IMAGES_PER_POST = 3
    images = [make_image_file(f"{n}.jpg") for n in range(2)]
    response = _edit(bob_client, post, images=images, alt_1="Un", alt_2="Deux", **kept)
    assert response.status_code == 200 and post.images.count() == 2
    assert "vous pouvez en ajouter 1" in response.content.decode()


def test_a_post_without_text_keeps_at_least_one_image(world, bob_client):
    post = post_create(
        cooperative=world.private_coop,
        author=world.bob,
        body_html="",
        images=[ImageUpload(make_image_file(), "Une affiche")],
    )
    picture = post.images.get()

    response = _edit(bob_client, post, **{f"alt_{picture.code}": picture.alt_text, f"remove_{picture.code}": "1"})

    assert response.status_code == 200
    assert PostImage.objects.filter(pk=picture.pk).exists()


def test_a_form_that_does_not_name_the_images_keeps_them_as_they_are(world, bob_client, post):
    """A page opened before images could be changed sends the text only."""
    response = _edit(bob_client, post, body="<div>Manifestation dimanche</div>")

    assert response.status_code == 302
    assert list(post.images.values_list("alt_text", flat=True)) == ["Une banderole rouge", "Le cortège place Bellecour"]
