"""The petitions' part of a structure's public site (see terrain/public/registry.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from terrain.petitions.models import Petition
from terrain.petitions.selectors import open_petitions, open_petitions_statement, public_petitions
from terrain.public.registry import FeedItem, LocatorFacts, SitemapEntry, SiteSection

HOME_PETITIONS = 3


def _home(site) -> dict:
    petitions = list(open_petitions(site.structure)[:HOME_PETITIONS])
    return {"petitions": petitions} if petitions else {}


def _sitemap(site):
    for petition in public_petitions(site.structure).only("code", "updated_at")[:1000]:
        yield SitemapEntry(reverse("petitions_public:detail", args=[site.slug, petition.code]), petition.updated_at)


def _feed(site):
    for petition in open_petitions(site.structure).exclude(opened_at=None)[:30]:
        yield FeedItem(
            title=petition.title,
            path=reverse("petitions_public:detail", args=[site.slug, petition.code]),
            text=petition.text,
            published_at=petition.opened_at,
            unique_id=f"petition:{petition.code}",
        )


def _locator_lines(rows) -> dict[int, str]:
    """ "Petition: <title> (n signatures)" on the card of each structure with one open (the newest)."""
    lines: dict[int, str] = {}
    for structure_id, title, count in rows:
        if structure_id not in lines:
            lines[structure_id] = ngettext(
                "Petition: %(title)s (%(count)s signature)",
                "Petition: %(title)s (%(count)s signatures)",
                count,
            ) % {"title": title, "count": count}
    return lines


def _in_menu(site) -> bool:
    return Petition.objects.filter(
        structure=site.structure, state__in=[Petition.State.OPEN, Petition.State.CLOSED]
    ).exists()


PETITIONS = SiteSection(
    key="petitions",
    label=_("Petitions"),
    url_name="petitions_public:list",
    position=30,
    in_menu=_in_menu,
    home_template="petitions/_home_block.html",
    home_context=_home,
    sitemap=_sitemap,
    feed=_feed,
    locator_facts=LocatorFacts(open_petitions_statement, _locator_lines),
    manage_url_name="petitions:list",
    manage_label=_("Petitions"),
)
