"""Writing, editing, deleting and pinning posts through the views."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Activity
from terrain.news.models import Post, PostImage
from terrain.news.tests.conftest import HTMX
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _publish_url(cooperative) -> str:
    return reverse("news:post_create", args=[cooperative.code])


def _jpeg_with_gps() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (45.0, 45.0, 0.0)}  # GPS info block
    return make_image_file("manif.jpg", exif=exif.tobytes())


def test_member_publishes_text_and_image_with_description(world, bob_client):
    upload = _jpeg_with_gps()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the phone's metadata is there to begin with
    upload.seek(0)

    response = bob_client.post(
        _publish_url(world.private_coop),
        {"body": "<div>Photo de la manif</div>", "images": upload, "alt_1": "Banderole rouge devant la mairie"},
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperatives:detail", args=[world.private_coop.code])
    assert post.author == world.bob and post.body_html == "<div>Photo de la manif</div>"
    picture = PostImage.objects.get(post=post)
    assert picture.alt_text == "Banderole rouge devant la mairie"
    assert (picture.width, picture.height) == (64, 48)
    # Stored re-encoded under a random name, without the phone's metadata.
    assert "manif" not in picture.image.name
    with Image.open(picture.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


def test_publishing_without_javascript_turns_plain_text_into_paragraphs(world, bob_client):
    bob_client.post(_publish_url(world.private_coop), {"body": "Réunion jeudi\n\nÀ 18 h <b>salle 2</b>"})

    body = Post.objects.get().body_html
    assert body.startswith("<p>Réunion jeudi</p>")
    assert "&lt;b&gt;salle 2&lt;/b&gt;" in body


def test_missing_description_is_refused_and_the_text_kept(world, bob_client):
    response = bob_client.post(
        _publish_url(world.private_coop),
        {"body": "<div>Texte précieux tapé longuement</div>", "images": make_image_file(), "alt_1": "  "},
    )

    assert response.status_code == 200
    assert not Post.objects.exists()
    html = response.content.decode()
    assert "n&#x27;a pas de description" in html
    assert "lue à voix haute aux personnes qui ne peuvent pas voir l&#x27;image" in html
    assert "Texte précieux tapé longuement" in html
    assert "merci de choisir à nouveau vos images" in html


def test_a_file_that_is_not_an_image_is_refused(world, bob_client):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = bob_client.post(
        _publish_url(world.private_coop), {"body": "<div>Voir pièce jointe</div>", "images": fake, "alt_1": "Un tract"}
    )

    assert response.status_code == 200
    assert not Post.objects.exists()
    assert "nous ne pouvons pas lire ce fichier comme une photo" in response.content.decode()


def test_an_image_over_the_size_limit_is_refused(world, bob_client, settings):
    settings.MAX_IMAGE_BYTES = 200
    big = make_image_file(size=(400, 400))
    response = bob_client.post(_publish_url(world.private_coop), {"body": "x", "images": big, "alt_1": "Grande photo"})

    assert not Post.objects.exists()
    assert "la limite est de" in response.content.decode()


def test_more_than_ten_images_are_refused(world, bob_client):
    data = {"body": "<div>Album</div>", "images": [make_image_file(f"p{i}.jpg") for i in range(11)]}
    data.update({f"alt_{i}": f"Photo {i}" for i in range(1, 12)})
    response = bob_client.post(_publish_url(world.private_coop), data)

    assert not Post.objects.exists()
    assert "au plus 10 images" in response.content.decode()


def test_several_images_keep_their_order_and_descriptions(world, bob_client):
    data = {"body": "", "images": [make_image_file(f"p{i}.jpg") for i in range(3)]}
    data.update({"alt_1": "Premier", "alt_2": "Deuxième", "alt_3": "Troisième"})
    bob_client.post(_publish_url(world.private_coop), data)

    post = Post.objects.get()
    assert list(post.images.values_list("alt_text", flat=True)) == ["Premier", "Deuxième", "Troisième"]


def test_an_empty_post_is_refused(world, bob_client):
    response = bob_client.post(_publish_url(world.private_coop), {"body": "<div><br></div>"})

    assert not Post.objects.exists()
    assert "Écrivez quelque chose avant de publier." in response.content.decode()


def test_the_composer_page_shows_the_form(world, bob_client):
    response = bob_client.get(_publish_url(world.open_coop))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="images"' in html and 'name="alt_1"' in html and 'name="body"' in html
    assert "trix-2.1.19.umd.min.js" in html


def test_nobody_writes_in_an_archived_cooperative(world, bob_client):
    world.open_coop.archived_at = timezone.now()
    world.open_coop.save()

    response = bob_client.post(_publish_url(world.open_coop), {"body": "<div>Encore là ?</div>"})

    assert response.status_code == 403
    assert not Post.objects.exists()


@pytest.mark.outsider("news:post_create")
def test_outsiders_cannot_publish(world, charlie_client, client):
    assert_refused(charlie_client.post(_publish_url(world.private_coop), {"body": "<div>Intrus</div>"}))
    assert_refused(charlie_client.post(_publish_url(world.open_coop), {"body": "<div>Intrus</div>"}), hidden=False)
    assert_login_required(client.get(_publish_url(world.private_coop)))
    assert not Post.objects.exists()


# --- Detail ------------------------------------------------------------------------


def test_the_post_page_shows_the_post_and_every_comment(world, bob_client, alice_post):
    from terrain.news.services import comment_create

    for n in range(5):
        comment_create(post=alice_post, author=world.bob, text=f"Commentaire numéro {n}")

    html = bob_client.get(reverse("news:post_detail", args=[alice_post.code])).content.decode()

    assert "Tract à relire" in html
    assert all(f"Commentaire numéro {n}" in html for n in range(5))


@pytest.mark.outsider("news:post_detail")
def test_outsiders_do_not_see_a_post(world, charlie_client, client, alice_post):
    url = reverse("news:post_detail", args=[alice_post.code])
    assert_refused(charlie_client.get(url))
    assert_login_required(client.get(url))
    assert_refused(charlie_client.get(reverse("news:post_detail", args=["not-a-code"])))


def test_a_deleted_post_is_gone(world, bob_client, alice_post):
    from terrain.news.services import post_delete

    post_delete(post=alice_post, by=world.alice)
    assert bob_client.get(reverse("news:post_detail", args=[alice_post.code])).status_code == 404


# --- Edit --------------------------------------------------------------------------


def test_the_author_edits_the_text(world, bob_client, bob_post):
    url = reverse("news:post_edit", args=[bob_post.code])
    page = bob_client.get(url).content.decode()
    assert "Assemblée jeudi" in page

    response = bob_client.post(url, {"body": "<div>Assemblée vendredi</div>"})

    bob_post.refresh_from_db()
    assert response.status_code == 302
    assert bob_post.body_html == "<div>Assemblée vendredi</div>"
    assert bob_post.edited_at is not None


def test_an_edit_cannot_empty_the_post(world, bob_client, bob_post):
    response = bob_client.post(reverse("news:post_edit", args=[bob_post.code]), {"body": "<div></div>"})

    bob_post.refresh_from_db()
    assert response.status_code == 200
    assert "Écrivez quelque chose avant de publier." in response.content.decode()
    assert bob_post.body_html == "<div>Assemblée jeudi</div>"


def test_nobody_edits_the_post_of_someone_else(world, alice_client, bob_post):
    """Even a facilitator: she may remove it, not put words in bob's mouth."""
    response = alice_client.post(reverse("news:post_edit", args=[bob_post.code]), {"body": "<div>Autre</div>"})

    bob_post.refresh_from_db()
    assert response.status_code == 403
    assert bob_post.body_html == "<div>Assemblée jeudi</div>"


@pytest.mark.outsider("news:post_edit")
def test_outsiders_cannot_edit(world, charlie_client, client, bob_post):
    url = reverse("news:post_edit", args=[bob_post.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.post(url, {"body": "<div>Intrus</div>"}))
    assert_login_required(client.get(url))


# --- Delete ------------------------------------------------------------------------


def test_the_author_deletes_their_post_after_confirming(world, bob_client, bob_post):
    url = reverse("news:post_delete", args=[bob_post.code])
    assert "Supprimer ma publication ?" in bob_client.get(url).content.decode()

    response = bob_client.post(url)

    bob_post.refresh_from_db()
    assert response.status_code == 302
    assert bob_post.deleted_at is not None
    assert not Activity.objects.filter(verb="post_published", target_id=bob_post.pk).exists()
    assert not AuditEntry.objects.exists()  # one's own post: nothing to audit


def test_a_facilitator_removes_any_post_and_it_is_audited(world, alice_client, bob_post):
    response = alice_client.post(reverse("news:post_delete", args=[bob_post.code]), **HTMX)

    bob_post.refresh_from_db()
    assert response.status_code == 200
    assert "La publication a été supprimée." in response.content.decode()
    assert bob_post.deleted_by == world.alice
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_code) == (world.alice, AuditEntry.Action.MODERATE, bob_post.code)


def test_a_member_cannot_delete_the_post_of_someone_else(world, bob_client, alice_post):
    response = bob_client.post(reverse("news:post_delete", args=[alice_post.code]))

    alice_post.refresh_from_db()
    assert response.status_code == 403
    assert alice_post.deleted_at is None


@pytest.mark.outsider("news:post_delete")
def test_outsiders_cannot_delete(world, charlie_client, client, bob_post):
    url = reverse("news:post_delete", args=[bob_post.code])
    assert_refused(charlie_client.post(url))
    assert_login_required(client.post(url))
    bob_post.refresh_from_db()
    assert bob_post.deleted_at is None


# --- Pin ---------------------------------------------------------------------------


def test_a_facilitator_pins_and_unpins_a_post(world, alice_client, bob_post):
    url = reverse("news:post_pin", args=[bob_post.code])

    response = alice_client.post(url, {"pinned": "1", "next": "/actualites/" + bob_post.code + "/"})
    bob_post.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/actualites/{bob_post.code}/"
    assert bob_post.pinned_at is not None

    alice_client.post(url, {"pinned": "0", "next": "https://evil.example/"})
    bob_post.refresh_from_db()
    assert bob_post.pinned_at is None


def test_a_plain_member_cannot_pin(world, bob_client, bob_post):
    response = bob_client.post(reverse("news:post_pin", args=[bob_post.code]), {"pinned": "1"})

    bob_post.refresh_from_db()
    assert response.status_code == 403
    assert bob_post.pinned_at is None


def test_an_unsafe_next_falls_back_to_the_cooperative(world, alice_client, bob_post):
    response = alice_client.post(
        reverse("news:post_pin", args=[bob_post.code]), {"pinned": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("cooperatives:detail", args=[world.private_coop.code])


@pytest.mark.outsider("news:post_pin")
def test_outsiders_cannot_pin(world, charlie_client, client, bob_post):
    url = reverse("news:post_pin", args=[bob_post.code])
    assert_refused(charlie_client.post(url, {"pinned": "1"}))
    assert_login_required(client.post(url, {"pinned": "1"}))


def test_the_editor_speaks_french_without_inline_script(world, bob_client):
    html = bob_client.get(_publish_url(world.open_coop)).content.decode()

    # The toolbar is written translated (Trix would build an English one) and offers no
    # "Attach files": images go through the image field, each with its description.
    toolbar = html[html.index("<trix-toolbar") : html.index("</trix-toolbar>")]
    assert 'title="Gras"' in toolbar and 'placeholder="Saisissez une adresse web…"' in toolbar
    assert "Bold" not in toolbar and "Enter a URL" not in toolbar and "attachFiles" not in toolbar
    assert 'toolbar="composer-body-' in html
    # The rest of Trix's words come as data, never as a script that runs.
    data = re.search(r'<script id="trix-lang" type="application/json">(.*?)</script>', html).group(1)
    assert json.loads(data)["urlPlaceholder"] == "Saisissez une adresse web…"
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
