"""What each tool shows on a structure's public site: one registration per tool.

A tool (petitions, events, join form...) registers a :class:`SiteSection` from its
``AppConfig.ready()``. The site then draws, without knowing the tool:

- an entry in the site's menu (``url_name``, reversed with the site's slug), shown
  when ``in_menu(site)`` says so;
- a block on the site's home page (``home_template``, rendered with what
  ``home_context(site)`` returns; an empty dict hides the block);
- its pages in the sitemap (``sitemap(site)``: ``SitemapEntry`` items);
- its items in the site's Atom feed (``feed(site)``: ``FeedItem`` items);
- a line on each structure's card in the locator (``locator_facts(sites)``: a dict of
  site id to a short text, "Next drop-in: Tuesday 9 December, 14:00"), one query
  for all the cards of a page;
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

from django.utils.functional import Promise

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
    locator_facts: Callable[[list[Site]], dict[int, str]] = field(default=lambda sites: {})
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
