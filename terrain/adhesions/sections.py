"""The join form on a structure's public site: menu entry, home block, sitemap, officials' link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.public.registry import SitemapEntry, SiteSection


def _home(site) -> dict:
    return {"join_text": site.join_text, "url": reverse("adhesions_public:join", args=[site.slug])}


def _sitemap(site):
    yield SitemapEntry(reverse("adhesions_public:join", args=[site.slug]), site.updated_at)


JOIN = SiteSection(
    key="join",
    label=pgettext_lazy("site menu", "Join"),
    url_name="adhesions_public:join",
    position=90,
    home_template="adhesions/_home_join.html",
    home_context=_home,
    sitemap=_sitemap,
    manage_url_name="adhesions:list",
    manage_label=_("Join requests"),
)
