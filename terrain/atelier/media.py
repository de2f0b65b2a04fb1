"""Signed, expiring public addresses for the images of a message being published.

Instagram does not take an upload: it downloads the image from an address given
in the API call. ``media_public_url`` (``settings.NETWORK_MEDIA_URL_PROVIDER``)
gives such an address on SITE_URL; ``media_public`` serves it. The token names
one image of a message that is scheduled or being published, is signed with
SECRET_KEY and lasts ``ATELIER_MEDIA_URL_SECONDS``: an image is never reachable
by guessing, nor once the publication is over.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from terrain.atelier.models import MessageImage
from terrain.atelier.workflows import ON_CALENDAR
from terrain.lib.http import protected_file
from terrain.networks.base import Media, PermanentError

SALT = "terrain.atelier.media"
SERVED_WHILE = ON_CALENDAR


def max_age() -> int:
    return int(getattr(settings, "ATELIER_MEDIA_URL_SECONDS", 6 * 3600))


def media_public_url(media: Media) -> str:
    """The public address of the message image whose file is ``media.filename``."""
    picture = MessageImage.objects.filter(image=f"atelier/{media.filename}").only("code").first()
    if picture is None:
        raise PermanentError("No image of a message matches this file.")
    token = signing.dumps(picture.code, salt=SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("atelier_media", args=[token])


@require_GET
def media_public(request: HttpRequest, token: str):
    try:
        code = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:
        raise Http404 from None
    picture = MessageImage.objects.select_related("message").filter(code=code, message__status__in=SERVED_WHILE).first()
    if picture is None:
        raise Http404
    # Public on purpose: the network downloads it without a session (the address is the secret).
    return protected_file(request, picture.image, max_age=600, public=True)
