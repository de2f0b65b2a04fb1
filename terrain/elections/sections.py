"""The elections on the structure's public site: menu, home block with the countdown, sitemap, feed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terrain.elections.models import Election
from terrain.elections.selectors import coming_votes_statement, published_elections
from terrain.elections.steps import countdown
from terrain.public.registry import FeedItem, LocatorFacts, SitemapEntry, SiteSection


def _home(site) -> dict:
    today = timezone.localdate()
    election = published_elections(site.structure).filter(vote_date__gte=today).first()
    if election is None:
        return {}
    return {
        "election": election,
        "countdown": countdown(election.vote_date, today),
        "days": (election.vote_date - today).days,
    }


def _sitemap(site):
    for election in published_elections(site.structure).only("code", "updated_at"):
        yield SitemapEntry(reverse("elections_public:detail", args=[site.slug, election.code]), election.updated_at)


def _feed(site):
    for election in published_elections(site.structure):
        yield FeedItem(
            title=election.title,
            path=reverse("elections_public:detail", args=[site.slug, election.code]),
            text=f"{election.employer}\n\n{election.how_to_vote}".strip(),
            published_at=election.published_at or election.created_at,
            unique_id=f"election:{election.code}",
        )


def _locator_lines(rows) -> dict[int, str]:
    """ "Elections: vote on Tuesday 12 January" on the card of each structure with an election coming."""
    field = Election._meta.get_field("vote_date")
    lines: dict[int, str] = {}
    for structure_id, day in rows:
        day = field.to_python(day)  # SQLite gives text
        lines.setdefault(
            structure_id, gettext("Elections: vote on %(day)s") % {"day": formats.date_format(day, "l j F")}
        )
    return lines


ELECTIONS = SiteSection(
    key="elections",
    label=_("Elections"),
    url_name="elections_public:list",
    position=40,
    in_menu=lambda site: published_elections(site.structure).exists(),
    home_template="elections/_home_block.html",
    home_context=_home,
    sitemap=_sitemap,
    feed=_feed,
    locator_facts=LocatorFacts(coming_votes_statement, _locator_lines),
    manage_url_name="elections:list",
    manage_label=_("Professional elections"),
)
