"""The structure's public site as a publication channel: "our site" in the workshop.

The account is "owned" (its ``remote_id`` is the site's code), opened when an
official publishes the site. Publishing records a news item on the site, once per
publication ``marker``, with the message's first image and its description; the item
has its own page, its social card, and an entry in the site's Atom feed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.atelier.models import Publication
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
from terrain.public.models import Site, SitePost
from terrain.public.services import SITE_CHANNEL


def _site(account: AccountData) -> Site:
    site = Site.objects.filter(code=account.remote_id, published=True).first() if account.remote_id else None
    if site is None:
        raise AuthError(str(_("This site is no longer published: publish it again from its settings.")))
    return site


def post_url(post: SitePost, site: Site) -> str:
    return settings.SITE_URL + reverse("public:post", args=[site.slug, post.code])


class SiteConnector(Connector):
    kind = SITE_CHANNEL
    label = _("Our site")
    position = 85
    max_chars = None
    max_media = 1
    auth_flow = "owned"
    rate_limit = RateLimit(calls=1000, seconds=3600)

    def count_characters(self, text: str) -> int:
        return len(text)

    def page_url(self, *, account_remote_id: str, remote_id: str, remote_url: str) -> str:
        return remote_url

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        site = _site(account)
        return AccountInfo(
            remote_id=site.code,
            handle=site.slug,
            display_name=site.structure.name,
            url=settings.SITE_URL + reverse("public:home", args=[site.slug]),
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return None

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        site = _site(account)
        marker = content.marker or new_code()
        existing = SitePost.objects.filter(marker=marker).first()
        if existing is not None:
            return RemotePost(remote_id=existing.code, url=post_url(existing, site))
        publication = Publication.objects.select_related("message").filter(marker=marker).first()
        post = SitePost(
            site=site,
            marker=marker,
            message=publication.message if publication else None,
            title=content.title[:200],
            text=content.text,
            link=content.link,
            published_at=timezone.now(),
        )
        if content.media:
            media = content.media[0]
            post.image.save(media.filename or "image.jpg", ContentFile(media.data), save=False)
            post.image_alt = media.alt[:1000]
        post.save()
        return RemotePost(remote_id=post.code, url=post_url(post, site))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        post = SitePost.objects.select_related("site").filter(marker=content.marker).first()
        return RemotePost(remote_id=post.code, url=post_url(post, post.site)) if post else None

    def delete(self, account: AccountData, remote_id: str) -> None:
        SitePost.objects.filter(code=remote_id, site__code=account.remote_id).delete()

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        return Metrics()
