"""The consultations on a structure's public site: menu entry, home block, sitemap, feed, officials' link."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terrain.consultations.models import Consultation
from terrain.consultations.selectors import open_consultations
from terrain.consultations.workflow import State
from terrain.lib.text import shorten
from terrain.public.registry import FeedItem, SitemapEntry, SiteSection

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


def _locator_facts(sites) -> dict[int, str]:
    """ "Open consultation: …" on the card of each structure that has one (one query for the page)."""
    now = timezone.now()
    by_structure = {site.structure_id: site.pk for site in sites}
    titles: dict[int, list[str]] = {}
    for structure_id, title in (
        Consultation.objects.filter(structure_id__in=by_structure, state=State.OPEN, invited_only=False)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("closes_at", "id")
        .values_list("structure_id", "title")
    ):
        titles.setdefault(structure_id, []).append(title)
    return {
        by_structure[structure_id]: gettext("Open consultation: %(title)s") % {"title": shorten(found[0], 60)}
        for structure_id, found in titles.items()
    }


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
    locator_facts=_locator_facts,
    manage_url_name="consultations:manage",
    manage_label=_("Consultations (surveys)"),
)
