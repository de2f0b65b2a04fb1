"""A message of the workshop sent to "Our site" and to a network at once, through the publication engine."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, MessageImage, Publication
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.tests.publishing_fake import make_account, make_message, pouet  # noqa: F401
from terrain.public import services
from terrain.public.models import SitePost
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def test_one_message_goes_to_the_network_and_the_site(
    world,
    pouet,
    client,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ATELIER_LINK_REWRITER = ""
    site = services.site_publish(
        site=services.site_save(structure=world.section, by=world.alice, slug="s1"), by=world.alice
    )
    ours = ConnectedAccount.objects.get(structure=world.section, network="site")
    mastodon = make_account(world.section, by=world.alice)
    message = make_message(world.section, author=world.alice, accounts=[mastodon, ours], title="Grève jeudi")
    image = make_image_file("piquet.jpg")
    MessageImage.objects.create(
        message=message, image=ContentFile(image.read(), name="piquet.jpg"), alt_text="Le piquet devant l'entrée"
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_schedule(message=message, at=timezone.now(), by=world.alice)

    assert set(message.publications.values_list("state", flat=True)) == {Publication.State.PUBLISHED}
    assert len(pouet.posts_with(message.publications.get(account=mastodon).marker)) == 1
    post = SitePost.objects.get()
    assert (post.message, post.title, post.image_alt) == (message, "Grève jeudi", "Le piquet devant l'entrée")
    assert post.image
    published = message.publications.get(account=ours)
    assert published.remote_url.endswith(reverse("public:post", args=[site.slug, post.code]))
    page = client.get(reverse("public:post", args=[site.slug, post.code])).content.decode()
    assert "Grève jeudi 10 h devant l&#x27;hôpital" in page
