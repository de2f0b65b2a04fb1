"""The structure's own Atom feed, as a publication channel.

The account is "owned": its ``remote_id`` is the structure's code. Publishing
records an entry (once per publication ``marker``); the public feed
``/lettre/<structure>/flux.atom`` lists the entries of published messages.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.atelier.models import Publication
from terrain.insights.links import is_web_url
from terrain.lib.codes import new_code
from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    Metrics,
    RateLimit,
    RemotePost,
)
from terrain.newsletter.channels import FEED
from terrain.newsletter.models import FeedEntry
from terrain.structures.models import Structure


def _structure(account: AccountData) -> Structure:
    structure = Structure.objects.filter(code=account.remote_id).first() if account.remote_id else None
    if structure is None:
        raise AuthError(str(_("This feed's structure no longer exists.")))
    return structure


def entry_page_url(*, structure_code: str, entry_code: str) -> str:
    """The entry's own public page: what a person opens (the feed itself is a file for feed readers)."""
    return settings.SITE_URL + reverse("newsletter:entry", args=[structure_code, entry_code])


def entry_url(entry: FeedEntry, structure: Structure) -> str:
    """The entry's address: its link, else its public page."""
    if is_web_url(entry.link):
        return entry.link
    return entry_page_url(structure_code=structure.code, entry_code=entry.code)


class RssConnector(Connector):
    kind = FEED
    label = _("RSS feed")
    position = 90
    max_chars = None  # a feed entry has no length limit (the composer's field has its own)
    max_media = 0
    auth_flow = "owned"
    rate_limit = RateLimit(calls=1000, seconds=3600)

    def count_characters(self, text: str) -> int:
        return len(text)

    def page_url(self, *, account_remote_id: str, remote_id: str, remote_url: str) -> str:
        # Entries published before they had a page kept the feed file's address: never share that.
        if not (account_remote_id and remote_id):
            return ""
        return entry_page_url(structure_code=account_remote_id, entry_code=remote_id)

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        structure = _structure(account)
        return AccountInfo(
            remote_id=structure.code,
            handle=str(_("Feed of %(name)s") % {"name": structure.name}),
            display_name=structure.name,
            url=settings.SITE_URL + reverse("newsletter:feed", args=[structure.code]),
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return None  # a feed reader does not say who reads

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        structure = _structure(account)
        marker = content.marker or new_code()
        publication = Publication.objects.select_related("message").filter(marker=marker).first()
        entry, _created = FeedEntry.objects.get_or_create(
            marker=marker,
            defaults={
                "structure": structure,
                "message": publication.message if publication else None,
                "title": content.title[:200],
                "text": content.text,
                "link": content.link,
                "published_at": timezone.now(),
            },
        )
        return RemotePost(remote_id=entry.code, url=entry_url(entry, structure))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        entry = FeedEntry.objects.select_related("structure").filter(marker=content.marker).first()
        return RemotePost(remote_id=entry.code, url=entry_url(entry, entry.structure)) if entry else None

    def delete(self, account: AccountData, remote_id: str) -> None:
        FeedEntry.objects.filter(code=remote_id, structure__code=account.remote_id).delete()

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        return Metrics()  # feed readers report nothing back
