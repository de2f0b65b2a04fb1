"""The agenda on the structures' public sites (:mod:`terrain.public.registry`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.mobilisation.models import EventKind
from terrain.mobilisation.selectors import next_permanences, permanences_statement, site_events, upcoming_occurrences
from terrain.public.registry import FeedItem, LocatorFacts, SitemapEntry, SiteSection

HOME_PERMANENCES = 3
HOME_EVENTS = 3


def when_text(starts_at, ends_at) -> str:
    """ "Tuesday 9 December, 14:00–18:00" in the reader's language, in local time."""
    starts, ends = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = date_format(starts, "l j F")
    if starts.date() == ends.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": day,
            "start": date_format(starts, "TIME_FORMAT"),
            "end": date_format(ends, "TIME_FORMAT"),
        }
    return _("%(start)s to %(end)s") % {
        "start": f"{day}, {date_format(starts, 'TIME_FORMAT')}",
        "end": f"{date_format(ends, 'l j F')}, {date_format(ends, 'TIME_FORMAT')}",
    }


def _home(site) -> dict:
    events = site_events(site)
    permanences = upcoming_occurrences(events, kind=EventKind.PERMANENCE, limit=HOME_PERMANENCES)
    others = upcoming_occurrences(events.exclude(kind=EventKind.PERMANENCE), limit=HOME_EVENTS)
    if not permanences and not others:
        return {}
    return {"permanences": permanences, "events": others}


def _sitemap(site):
    for event in site_events(site).select_related(None).only("code", "updated_at").order_by("-starts_at")[:1000]:
        yield SitemapEntry(reverse("agenda:event", args=[site.slug, event.code]), event.updated_at)


def _feed(site):
    for event in site_events(site).filter(published_at__isnull=False).order_by("-published_at")[:30]:
        yield FeedItem(
            title=event.title,
            path=reverse("agenda:event", args=[site.slug, event.code]),
            text=f"{when_text(event.starts_at, event.ends_at)}\n\n{event.description}",
            published_at=event.published_at,
            unique_id=f"event:{event.code}",
        )


def _locator_lines(rows) -> dict[int, str]:
    return {
        structure_id: _("Next drop-in hours: %(when)s") % {"when": when_text(occurrence.starts_at, occurrence.ends_at)}
        for structure_id, occurrence in next_permanences(rows).items()
    }


AGENDA = SiteSection(
    key="agenda",
    label=gettext_lazy("Agenda"),
    url_name="agenda:list",
    position=20,
    in_menu=lambda site: site_events(site).exists(),
    home_template="mobilisation/_home_block.html",
    home_context=_home,
    sitemap=_sitemap,
    feed=_feed,
    locator_facts=LocatorFacts(permanences_statement, _locator_lines),
    manage_url_name="mobilisation:list",
    manage_label=gettext_lazy("Events and drop-in hours"),
)
