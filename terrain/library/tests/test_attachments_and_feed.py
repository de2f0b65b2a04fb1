"""Library files attached to news posts, and the library's feed item."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.library import services
from terrain.library.models import File, Folder
from terrain.library.selectors import files_attachable_by
from terrain.library.tests.helpers import a_pdf, odt_bytes, upload_of
from terrain.news.models import Post
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def test_a_post_attaches_a_library_file_and_an_upload(world, bob_client, alice_client):
    pdf = a_pdf(world)
    url = reverse("news:post_create", args=[world.private_coop.code])
    assert "attachment_uploads" in bob_client.get(url).content.decode()
    response = bob_client.post(
        url,
        {
            "body": "Le compte rendu est joint.",
            "attachments": [pdf.code],
            "attachment_uploads": upload_of("tract.odt", odt_bytes()),
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    names = sorted(post.attachments.values_list("name", flat=True))
    assert names == ["compte-rendu.pdf", "tract.odt"]
    uploaded = File.objects.get(name="tract.odt")
    assert uploaded.folder.purpose == Folder.Purpose.ATTACHMENTS and uploaded.folder.name == "Pièces jointes"

    feed = alice_client.get(reverse("feed:home")).content.decode()
    assert reverse("library:download", args=[pdf.code]) in feed
    detail = alice_client.get(reverse("news:post_detail", args=[post.code])).content.decode()
    assert reverse("library:download", args=[uploaded.code]) in detail

    # A file deleted from the library leaves the card (a new card value, a new key).
    services.file_delete(file=pdf, by=world.alice)
    assert reverse("library:download", args=[pdf.code]) not in alice_client.get(reverse("feed:home")).content.decode()


def test_a_refused_attachment_keeps_the_post_unpublished(world, bob_client):
    url = reverse("news:post_create", args=[world.private_coop.code])
    response = bob_client.post(
        url, {"body": "Texte gardé", "attachment_uploads": upload_of("x.pdf", b"MZ\x90\x00" * 20)}
    )
    assert response.status_code == 200
    assert not Post.objects.exists() and not File.objects.exists()
    assert "Texte gardé" in response.content.decode()


def test_a_file_of_another_cooperative_cannot_be_attached(world, bob_client):
    other = a_pdf(world, cooperative=world.open_coop)
    url = reverse("news:post_create", args=[world.private_coop.code])
    response = bob_client.post(url, {"body": "x", "attachments": [other.code]})
    assert response.status_code == 200 and not Post.objects.exists()


def test_files_attachable_are_the_cooperatives_own_for_members_only(world):
    pdf = a_pdf(world)
    a_pdf(world, cooperative=world.open_coop, name="autre.pdf")
    assert files_attachable_by(world.bob, world.private_coop) == [pdf]
    assert files_attachable_by(world.charlie, world.private_coop) == []


def test_the_feed_groups_files_added_together(world, alice_client, django_assert_max_num_queries):
    for n in range(3):
        a_pdf(world, name=f"doc-{n}.pdf", by=world.bob)
    services.file_upload(cooperative=world.private_coop, folder=None, upload=make_image_file("p.jpg"), by=world.bob)
    page = alice_client.get(reverse("feed:home")).content.decode()
    assert page.count('class="card feed-item"') >= 1
    assert "doc-0.pdf" in page and "doc-2.pdf" in page and "p.jpg" in page
    assert "4" in page  # "added 4 files"


def test_the_feed_item_is_hidden_where_the_library_is_off(world, alice_client):
    a_pdf(world, name="cache.pdf", by=world.bob)
    world.private_coop.disabled_tools = "library"
    world.private_coop.save()
    assert "cache.pdf" not in alice_client.get(reverse("feed:home")).content.decode()


def test_a_removed_file_leaves_the_feed_card_at_once(world, alice_client):
    kept = a_pdf(world, name="garde.pdf", by=world.bob)
    removed = a_pdf(world, name="retire.pdf", by=world.bob)
    marked = a_pdf(world, name="marque.pdf", by=world.bob)
    services.file_delete(file=removed, by=world.alice)
    # Even a row only marked removed (its activity still there) is not read with the page.
    File.objects.filter(pk=marked.pk).update(deleted_at=timezone.now())
    page = alice_client.get(reverse("feed:home")).content.decode()
    assert kept.name in page
    assert removed.name not in page and marked.name not in page


def test_a_post_written_from_the_feed_attaches_an_upload(world, bob_client):
    url = reverse("news:post_write")
    assert "attachment_uploads" in bob_client.get(url).content.decode()
    response = bob_client.post(
        url,
        {
            "cooperative": world.private_coop.code,
            "body": "Le tract",
            "attachment_uploads": upload_of("t.odt", odt_bytes()),
        },
    )
    assert response.status_code == 302
    assert list(Post.objects.get().attachments.values_list("name", flat=True)) == ["t.odt"]


def test_attachments_by_reads_many_objects_in_one_query(world, django_assert_num_queries):
    from terrain.library.selectors import attachments_by
    from terrain.news.services import post_create

    first, second = a_pdf(world, name="b.pdf"), a_pdf(world, name="a.pdf")
    gone = a_pdf(world, name="c.pdf")
    one = post_create(cooperative=world.private_coop, author=world.bob, body_html="<div>un</div>")
    two = post_create(cooperative=world.private_coop, author=world.bob, body_html="<div>deux</div>")
    services.attachments_set(post=one, files=[first, second, gone], by=world.bob)
    services.attachments_set(post=two, files=[first], by=world.bob)
    services.file_delete(file=gone, by=world.alice)
    with django_assert_num_queries(1):
        found = attachments_by(Post.attachments, [one.pk, two.pk])
        names = {pk: [f.name for f in files] for pk, files in found.items()}
    assert names == {one.pk: ["a.pdf", "b.pdf"], two.pk: ["b.pdf"]}
