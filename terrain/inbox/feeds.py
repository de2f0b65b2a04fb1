"""News feeds (RSS, Atom) for keyword watches: fetch one safely, keep the entries that match.

A feed's address is typed by a member, so it is fetched only through
``terrain.lib.outbound`` (``check_url``, then a guarded session: no private address, bounded
redirects), within ``settings.NETWORK_TIMEOUT_SECONDS`` per wait and :data:`MAX_FEED_BYTES`
in all. The fetch is conditional (ETag, Last-Modified): a feed that did not change costs a
304. The body is parsed by ``feedparser`` from bytes, never from an address (it would fetch
it itself, outside the guard).

Matching (:func:`terms_found`) ignores case and accents and wants whole words: "grève"
finds "GREVE" and "#grève", not "grèves" nor "engrève"; "#grève" finds "grève" too.
"""

from __future__ import annotations

import calendar
import json
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.lib.html import plain_text
from terrain.lib.outbound import UnsafeAddress, check_url, guarded_session
from terrain.networks.base import InboundItem, PermanentError, TransientError

MAX_FEED_BYTES = 2 * 1024 * 1024
#: Entries read from one feed at most (a feed lists its latest first).
MAX_ENTRIES = 200
USER_AGENT = "Terrain (keyword watch; +https://terrain.example/)"


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """``text`` without case or accents, for comparing words ("Grève" → "greve", "Cœur" → "coeur")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(_LIGATURES)


def term_pattern(term: str) -> re.Pattern[str] | None:
    """The words of ``term`` (a hashtag's without its "#"), whole, in order, folded; several words
    also as one, the way a hashtag writes them ("CHU Nord" finds "#CHUNord")."""
    words = re.findall(r"\w+", fold(term))
    if not words:
        return None
    forms = [r"\W+".join(re.escape(word) for word in words)]
    if len(words) > 1:
        forms.append(re.escape("".join(words)))
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)")


def terms_found(text: str, terms: list[str]) -> list[str]:
    """The terms of ``terms`` that ``text`` contains, in the order of ``terms``."""
    folded = fold(text)
    return [term for term in terms if (pattern := term_pattern(term)) is not None and pattern.search(folded)]


@dataclass(frozen=True)
class FeedAnswer:
    """What a feed gave: its entries (none when unchanged) and the validators for the next fetch."""

    body: bytes | None  # None: not modified (304)
    etag: str = ""
    modified: str = ""


def cursor_values(cursor: str) -> dict:
    """The stored state of a feed's stream (``etag``, ``modified``, ``found``): JSON, or empty."""
    try:
        values = json.loads(cursor) if cursor else {}
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def fetch_feed(url: str, *, etag: str = "", modified: str = "") -> FeedAnswer:
    """Fetch the feed at ``url``. Raises ``TransientError`` (try again later: timeout, 5xx,
    429, unreachable) or ``PermanentError`` (wrong address, refused, too big, not a feed)."""
    try:
        check_url(url)
    except UnsafeAddress as error:
        raise PermanentError(error.message) from None
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    timeout = float(settings.NETWORK_TIMEOUT_SECONDS)
    try:
        with guarded_session() as session:
            response = session.get(url, headers=headers, timeout=timeout, stream=True)
            try:
                if response.status_code == 304:
                    return FeedAnswer(body=None, etag=etag, modified=modified)
                _check_status(response)
                body = _read_capped(response, deadline=time.monotonic() + max(timeout * 3, 5))
            finally:
                response.close()
    except requests.exceptions.Timeout:
        raise TransientError(_("The feed's site did not answer in time: Terrain will try again later.")) from None
    except requests.exceptions.RequestException:
        raise TransientError(
            _("Terrain could not reach the feed's site: it did not answer, or its address is wrong.")
        ) from None
    return FeedAnswer(
        body=body, etag=response.headers.get("ETag", "")[:200], modified=response.headers.get("Last-Modified", "")[:100]
    )


def _check_status(response: requests.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        wait = response.headers.get("Retry-After", "")
        raise TransientError(
            _("The feed's site is not answering properly (error %(status)s): Terrain will try again later.")
            % {"status": status},
            retry_after=int(wait) if wait.isdigit() else None,
        )
    if status in (404, 410):
        raise PermanentError(
            _("There is no feed at this address any more (error %(status)s): check it on the news site.")
            % {"status": status},
            status=status,
        )
    if status >= 300:
        raise PermanentError(
            _("The feed's site refuses to give it (error %(status)s): check the address.") % {"status": status},
            status=status,
        )


def _read_capped(response: requests.Response, *, deadline: float) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(65536):
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise PermanentError(
                _("This feed is larger than %(size)s MB: Terrain does not read it.")
                % {"size": MAX_FEED_BYTES // (1024 * 1024)}
            )
        if time.monotonic() > deadline:
            raise requests.exceptions.ReadTimeout("feed too slow")
        chunks.append(chunk)
    return b"".join(chunks)


def feed_items(body: bytes, terms: list[str]) -> tuple[list[InboundItem], dict[str, str]]:
    """The entries of the feed ``body`` that contain one of ``terms``, as watch items, oldest
    first, and the terms each one matched (by remote id). Raises ``PermanentError`` when the
    body is no feed at all (a web page, garbage); a feed with small faults is read as far as it goes."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise PermanentError(
            _("This address does not give an RSS or Atom feed: look for the feed's own address on the news site.")
        )
    source = plain_text(parsed.feed.get("title", "") or "")
    items, matched = [], {}
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = str(entry.get("link") or "")
        remote_id = str(entry.get("id") or link)[:300]
        if not remote_id:
            continue
        title = plain_text(str(entry.get("title") or ""))
        summary = str(entry.get("summary") or "")
        if not summary and entry.get("content"):
            summary = str(entry.content[0].get("value") or "")
        text = "\n".join(part for part in (title, plain_text(summary)) if part)
        found = terms_found(text, terms)
        if not found:
            continue
        items.append(
            InboundItem(
                remote_id=remote_id,
                kind="watch",
                text=text,
                created_at=_entry_date(entry),
                author_name=source,
                url=link,
            )
        )
        matched[remote_id] = ", ".join(found)
    items.sort(key=lambda item: item.created_at)
    return items, matched


def _entry_date(entry) -> datetime:
    """When the entry was published (or updated); now when the feed does not say, or says the future."""
    now = timezone.now()
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                when = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
            return min(when, now)
    return now
