"""What each tool shows on a structure's public site: one registration per tool.

A tool (petitions, events, join form...) registers a :class:`SiteSection` from its
``AppConfig.ready()``. The site then draws, without knowing the tool:

- an entry in the site's menu (``url_name``, reversed with the site's slug), shown
  when ``in_menu(site)`` says so;
- a block on the site's home page (``home_template``, rendered with what
  ``home_context(site)`` returns; an empty dict hides the block);
- its pages in the sitemap (``sitemap(site)``: ``SitemapEntry`` items);
- its items in the site's Atom feed (``feed(site)``: ``FeedItem`` items);
- a line on each structure's card in the locator (``locator_facts``, a :class:`LocatorFacts`:
  one plain SQL statement for all the cards of a page, sent with the other tools' in one
  round trip, and the lines made of its rows: "Next drop-in: Tuesday 9 December, 14:00");
- a link on the officials' page of the site (``manage_url_name``, reversed with the
  structure's code, and ``manage_label``), where they run the tool.

Every callable receives a *published* site (the views check that first) and must show
only what its tool made public: never anything of a cooperative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise

from terrain.lib.sql import Statement, rows_together

if TYPE_CHECKING:
    from terrain.public.models import Site


@dataclass(frozen=True)
class SitemapEntry:
    path: str  # absolute path on this host ("/s/ma-section/petitions/x/")
    lastmod: datetime | None = None


@dataclass(frozen=True)
class FeedItem:
    title: str
    path: str  # the item's own public page
    text: str
    published_at: datetime
    unique_id: str


@dataclass(frozen=True)
class LocatorFacts:
    """A tool's line on the locator's cards (a hot public page: CONTRIBUTING, "Hot reads").

    ``statement(connection, structure_ids, now)`` gives one ``(sql, params)`` reading what the
    tool shows for those structures (ids through ``terrain.lib.sql.in_ids``, so that its text
    never changes); ``lines(rows)`` makes of its rows a dict of structure id to a short text in
    the active language. Only what the tool made public, never anything of a cooperative.
    """

    statement: Callable[[object, list[int], datetime], Statement]
    lines: Callable[[list[tuple]], dict[int, str]]


def _nothing(site: Site) -> Iterable:
    return ()


def _always(site: Site) -> bool:
    return True


@dataclass(frozen=True)
class SiteSection:
    key: str
    label: str | Promise
    url_name: str = ""  # the section's page, reversed with the site's slug; "" for none
    position: int = 50  # order in the menu and on the home page
    in_menu: Callable[[Site], bool] = _always
    home_template: str = ""
    home_context: Callable[[Site], dict] = field(default=lambda site: {})
    sitemap: Callable[[Site], Iterable[SitemapEntry]] = _nothing
    feed: Callable[[Site], Iterable[FeedItem]] = _nothing
    locator_facts: LocatorFacts | None = None
    manage_url_name: str = ""
    manage_label: str | Promise = ""


_sections: dict[str, SiteSection] = {}


def register(section: SiteSection) -> None:
    """Add (or replace) a section. Call it from ``AppConfig.ready()``."""
    _sections[section.key] = section


def unregister(key: str) -> None:
    _sections.pop(key, None)


def sections() -> list[SiteSection]:
    return sorted(_sections.values(), key=lambda s: (s.position, s.key))


def locator_facts(sites: list[Site], *, keys: Iterable[str] | None = None) -> dict[int, list[str]]:
    """The tools' lines on the cards of ``sites`` (site id to lines, in the sections' order): every
    tool's statement together, one round trip on PostgreSQL. ``keys`` keeps only those sections."""
    wanted = [s for s in sections() if s.locator_facts is not None and (keys is None or s.key in keys)]
    site_of = {site.structure_id: site.pk for site in sites}
    if not wanted or not site_of:
        return {}
    now, structure_ids = timezone.now(), list(site_of)
    statements = [section.locator_facts.statement(connection, structure_ids, now) for section in wanted]
    found: dict[int, list[str]] = {}
    for section, rows in zip(wanted, rows_together(connection, statements), strict=True):
        for structure_id, text in section.locator_facts.lines(rows).items():
            found.setdefault(site_of[structure_id], []).append(text)
    return found
