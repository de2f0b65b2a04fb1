"""The consultations on a structure's public site: menu entry, home block, sitemap, feed, officials' link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terrain.consultations.selectors import open_consultations, open_public_titles_statement
from terrain.lib.text import shorten
from terrain.public.registry import FeedItem, LocatorFacts, SitemapEntry, SiteSection

HOME_SHOWN = 3


def _home(site) -> dict:
    shown = list(open_consultations(site)[:HOME_SHOWN])
    return {"consultations": shown} if shown else {}


def _sitemap(site):
    for consultation in open_consultations(site).only("code", "updated_at")[:200]:
        yield SitemapEntry(
            reverse("consultations_public:answer", args=[site.slug, consultation.code]), consultation.updated_at
        )


def _feed(site):
    for consultation in open_consultations(site)[:30]:
        yield FeedItem(
            title=consultation.title,
            path=reverse("consultations_public:answer", args=[site.slug, consultation.code]),
            text=shorten(consultation.introduction, 500) or consultation.title,
            published_at=consultation.opened_at or consultation.created_at,
            unique_id=f"consultation:{consultation.code}",
        )


def _locator_lines(rows) -> dict[int, str]:
    """ "Open consultation: …" on the card of each structure that has one (the soonest to close)."""
    lines: dict[int, str] = {}
    for structure_id, title in rows:
        lines.setdefault(structure_id, gettext("Open consultation: %(title)s") % {"title": shorten(title, 60)})
    return lines


CONSULTATIONS = SiteSection(
    key="consultations",
    label=_("Consultations"),
    url_name="consultations_public:index",
    position=40,
    in_menu=lambda site: open_consultations(site).exists(),
    home_template="consultations/public/_home.html",
    home_context=_home,
    sitemap=_sitemap,
    feed=_feed,
    locator_facts=LocatorFacts(open_public_titles_statement, _locator_lines),
    manage_url_name="consultations:manage",
    manage_label=_("Consultations (surveys)"),
)
