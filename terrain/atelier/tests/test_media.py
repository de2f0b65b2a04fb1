"""Public addresses of images being published: signed, expiring, only while the message goes out."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from terrain.atelier.media import media_public_url
from terrain.atelier.models import Message, MessageImage
from terrain.networks.base import Media
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


def _picture(world, status):
    message = Message.objects.create(structure=world.section, author=world.alice, body="Grève", status=status)
    return MessageImage.objects.create(
        message=message, alt_text="Le piquet de grève devant l'hôpital", image=make_image_file()
    )


def _url_of(picture) -> str:
    media = Media(data=b"", mime_type="image/jpeg", alt="", filename=picture.image.name.rsplit("/", 1)[-1])
    return media_public_url(media)


def test_a_scheduled_messages_image_is_served_at_its_signed_address(world, settings):
    picture = _picture(world, Message.Status.SCHEDULED)
    url = _url_of(picture)
    assert url.startswith(settings.SITE_URL + "/media-publie/")
    response = Client().get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_forged_or_expired_address_or_a_draft_is_a_404(world, settings):
    picture = _picture(world, Message.Status.SCHEDULED)
    path = _url_of(picture).removeprefix(settings.SITE_URL)
    assert Client().get(path[:-3] + "abc/").status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=7)):
        assert Client().get(path).status_code == 404
    draft = _picture(world, Message.Status.DRAFT)
    assert Client().get(_url_of(draft).removeprefix(settings.SITE_URL)).status_code == 404
