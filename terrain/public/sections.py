"""The site's own section: its news (the workshop's "our site" channel)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.lib.text import shorten
from terrain.public.registry import FeedItem, SitemapEntry, SiteSection
from terrain.public.selectors import site_posts

HOME_NEWS = 3


def _home(site) -> dict:
    posts = list(site_posts(site)[:HOME_NEWS])
    return {"posts": posts} if posts else {}


def _sitemap(site):
    for post in site_posts(site).only("code", "published_at")[:1000]:
        yield SitemapEntry(reverse("public:post", args=[site.slug, post.code]), post.published_at)


def _feed(site):
    for post in site_posts(site)[:30]:
        yield FeedItem(
            title=post.title or shorten(post.text, 80),
            path=reverse("public:post", args=[site.slug, post.code]),
            text=post.text,
            published_at=post.published_at,
            unique_id=f"post:{post.code}",
        )


NEWS = SiteSection(
    key="news",
    label=_("News"),
    url_name="public:posts",
    position=10,
    in_menu=lambda site: site_posts(site).exists(),
    home_template="public/_home_news.html",
    home_context=_home,
    sitemap=_sitemap,
    feed=_feed,
)
