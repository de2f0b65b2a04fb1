"""Short tracked links on Terrain's own domain (``settings.SITE_URL`` + ``/l/<code>``).

``link_tracked_url`` is the engine's ``settings.ATELIER_LINK_REWRITER``: before a
post's text is built, its link is replaced by a short address that redirects to
it and counts the click. Only http(s) addresses are tracked (anything else is
left as it is and never redirected to).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from terrain.insights.models import LinkClick, TrackedLink

RELAY_CHANNEL = "relay"


def is_web_url(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def short_url(link: TrackedLink) -> str:
    return settings.SITE_URL + reverse("links:follow", args=[link.code])


def _get_or_create(**fields) -> TrackedLink:
    lookup = {key: fields[key] for key in ("message", "publication", "url", "channel")}
    link = TrackedLink.objects.filter(**lookup).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return TrackedLink.objects.create(**fields)
    except IntegrityError:  # created meanwhile by another worker
        return TrackedLink.objects.get(**lookup)


def link_tracked_url(*, publication, url: str) -> str:
    """The short tracked address of ``url`` for this publication (same address on every call)."""
    if not is_web_url(url):
        return url
    link = _get_or_create(
        message=publication.message,
        publication=publication,
        url=url,
        channel=publication.account.network,
    )
    return short_url(link)


def link_tracked_for_relay(*, message, url: str) -> str:
    """The short tracked address of ``url`` shared by militants relaying ``message``."""
    if not is_web_url(url):
        return url
    return short_url(_get_or_create(message=message, publication=None, url=url, channel=RELAY_CHANNEL))


def link_click_record(*, link: TrackedLink, day: date | None = None) -> None:
    """Count one click in the day's bucket: one UPDATE, or one INSERT for the day's first click."""
    day = day or timezone.localdate()
    bucket = LinkClick.objects.filter(link=link, day=day, channel=link.channel)
    if bucket.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            LinkClick.objects.create(link=link, day=day, channel=link.channel, count=1)
    except IntegrityError:  # the day's first click raced with another one
        bucket.update(count=F("count") + 1)
