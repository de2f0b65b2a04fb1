"""Keyword watches ("veille"): what they read, and the writes that change them.

A watch reads several streams, all with the watch's source (``w<id>``), so that a post found
by two of its words, or on two of its feeds, is stored once:

- ``search:<network>:<term>``: the network's public search for one term, through an active
  connected account of the structure on that network (the network's search needs one);
- ``feed:<url>``: one news feed (RSS or Atom, :mod:`terrain.inbox.feeds`); its cursor is
  JSON: the feed's validators (``etag``, ``modified``) and the number of entries ``found``.

:func:`watch_streams_sync` keeps these rows as the watch says, in the transaction that
changes the watch; the periodic job (``tasks.inbox_due``) reads the ones that are due
through :func:`read_watch_stream`. A stream that fails records why in plain words
(``last_error``) and waits, longer each time (``services._backoff``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount
from terrain.atelier.services.accounts import account_data, account_mark_broken, account_save_secrets
from terrain.inbox import feeds
from terrain.inbox.models import Item, Stream, Watch
from terrain.inbox.services import (
    MOST_BACKOFF,
    PAGES_PER_RUN,
    store_page,
    stream_failed,
    watch_source,
)
from terrain.networks.base import AuthError, ConnectorError, InboundPage, PermanentError, TransientError
from terrain.networks.registry import available_kinds, get_connector

logger = logging.getLogger(__name__)

MAX_TERMS = 20
MAX_FEEDS = 10
SEARCH = "search"
FEED = "feed"
#: A feed is read at most this often (news sites publish a few times an hour).
FEED_EVERY = timedelta(minutes=15)


def searchable_networks() -> list[str]:
    """The networks whose public search a watch can read (``can_search``), in the registry's order."""
    return [kind for kind in available_kinds() if get_connector(kind).can_search]


def searchable_networks_of(structure) -> list[str]:
    """The searchable networks on which ``structure`` has an active account."""
    kinds = set(
        ConnectedAccount.objects.filter(structure=structure, status=ConnectedAccount.Status.ACTIVE).values_list(
            "network", flat=True
        )
    )
    return [kind for kind in searchable_networks() if kind in kinds]


def stream_names(watch: Watch) -> list[str]:
    """The streams ``watch`` reads, as it stands (none when it is inactive)."""
    if not watch.active:
        return []
    searchable = set(searchable_networks())
    names = [
        f"{SEARCH}:{network}:{term}" for network in watch.networks if network in searchable for term in watch.term_list
    ]
    names += [f"{FEED}:{url}" for url in watch.feed_list]
    return list(dict.fromkeys(name[:300] for name in names))


@transaction.atomic
def watch_streams_sync(watch: Watch) -> None:
    """Create the streams the watch now reads (due at once), delete those it no longer reads."""
    source = watch_source(watch)
    wanted = stream_names(watch)
    Stream.objects.filter(source=source).exclude(name__in=wanted).delete()
    existing = set(Stream.objects.filter(source=source).values_list("name", flat=True))
    now = timezone.now()
    Stream.objects.bulk_create(
        [Stream(source=source, name=name, next_at=now) for name in wanted if name not in existing],
        ignore_conflicts=True,
    )


# --- Writes.


@transaction.atomic
def watch_save(
    *,
    structure,
    by,
    watch: Watch | None = None,
    name: str,
    terms: list[str],
    networks: list[str],
    feeds: list[str],
) -> Watch:
    """Create or change a watch (the form checked the values) and its streams."""
    watch = watch or Watch(structure=structure, created_by=by)
    watch.name = name.strip()
    watch.terms = "\n".join(terms)
    watch.feeds = "\n".join(feeds)
    watch.networks = [kind for kind in searchable_networks() if kind in networks]
    watch.save()
    watch_streams_sync(watch)
    return watch


@transaction.atomic
def watch_set_active(*, watch: Watch, active: bool, by) -> Watch:
    """Pause a watch (its streams go; what it found stays) or start it again."""
    Watch.objects.filter(pk=watch.pk).update(active=active, updated_at=timezone.now())
    watch.active = active
    watch_streams_sync(watch)
    return watch


@transaction.atomic
def watch_delete(*, watch: Watch, by) -> None:
    """Delete a watch, its streams and what it found (its threads go with it)."""
    Stream.objects.filter(source=watch_source(watch)).delete()
    watch.delete()


# --- Reading.


def due_watch_streams(now) -> list[Stream]:
    """The watches' streams due for reading (keyword searches and news feeds)."""
    return list(Stream.objects.filter(source__startswith="w", next_at__lte=now))


def read_watch_stream(stream: Stream) -> int:
    """Read one stream of a watch from where it stands. Returns how many new items were stored."""
    watch = _watch_of(stream)
    if watch is None or not watch.active:
        Stream.objects.filter(pk=stream.pk).delete()  # a stream left behind: nothing reads it any more
        return 0
    kind, _sep, rest = stream.name.partition(":")
    try:
        if kind == SEARCH:
            network, _sep, term = rest.partition(":")
            stored = _read_search(stream, watch, network, term)
        elif kind == FEED:
            stored = _read_feed(stream, watch, rest)
        else:
            Stream.objects.filter(pk=stream.pk).delete()
            return 0
    except _Stop:
        return 0
    return stored


class _Stop(Exception):
    """The stream failed and its failure is recorded."""


def structure_id_of(stream: Stream) -> int | None:
    """The structure whose watch ``stream`` reads (None if the watch is gone)."""
    watch = _watch_of(stream)
    return watch.structure_id if watch is not None else None


def _watch_of(stream: Stream) -> Watch | None:
    if not stream.source.startswith("w") or not stream.source[1:].isdigit():
        return None
    return Watch.objects.select_related("structure").filter(pk=int(stream.source[1:])).first()


def _done(stream: Stream, *, every: timedelta) -> None:
    stream.failures = 0
    stream.last_error = ""
    stream.next_at = timezone.now() + every
    stream.save(update_fields=["failures", "last_error", "next_at"])


def _read_search(stream: Stream, watch: Watch, network: str, term: str) -> int:
    try:
        connector = get_connector(network)
    except LookupError:
        connector = None
    if connector is None or not connector.can_search:
        stream_failed(stream, PermanentError(_("Terrain cannot search this network.")), wait=MOST_BACKOFF)
        raise _Stop
    account = (
        ConnectedAccount.objects.filter(
            structure=watch.structure, network=network, status=ConnectedAccount.Status.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    if account is None:
        message = _("Connect a %(network)s account of the structure to search %(network)s: the search needs one.") % {
            "network": connector.label
        }
        stream_failed(stream, PermanentError(message), wait=MOST_BACKOFF)
        raise _Stop
    stored = 0
    data = None
    try:
        data = account_data(account)
        for _page in range(PAGES_PER_RUN):
            before = stream.cursor
            page = connector.search_public(data, term, stream.cursor)
            stored += store_page(
                stream=stream,
                page=page,
                structure=watch.structure,
                watch=watch,
                network=network,
                matched={item.remote_id: term for item in page.items},
            )
            if not page.more or page.cursor == before:
                break
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        stream_failed(stream, error, wait=MOST_BACKOFF)
        raise _Stop from None
    except TransientError as error:
        stream_failed(stream, error)
        raise _Stop from None
    except ConnectorError as error:
        stream_failed(stream, error, wait=MOST_BACKOFF)
        raise _Stop from None
    finally:
        if data is not None:
            account_save_secrets(account=account, data=data)
    _done(stream, every=timedelta(seconds=settings.INBOX_POLL_SECONDS))
    return stored


def _read_feed(stream: Stream, watch: Watch, url: str) -> int:
    state = feeds.cursor_values(stream.cursor)
    try:
        answer = feeds.fetch_feed(url, etag=str(state.get("etag", "")), modified=str(state.get("modified", "")))
        items, matched = feeds.feed_items(answer.body, watch.term_list) if answer.body is not None else ([], {})
    except TransientError as error:
        stream_failed(stream, error)
        raise _Stop from None
    except ConnectorError as error:
        stream_failed(stream, error, wait=MOST_BACKOFF)
        raise _Stop from None
    except Exception:  # a library's surprise on a hostile feed: logged, the stream waits, the worker goes on
        logger.exception("Reading the feed %s failed", url)
        stream_failed(stream, TransientError(_("Terrain could not read this feed: it will try again later.")))
        raise _Stop from None
    found = int(state.get("found", 0) or 0)
    with transaction.atomic():
        # The cursor is written with the items: validators first, the count once known.
        cursor = json.dumps({"etag": answer.etag, "modified": answer.modified, "found": found})
        stored = store_page(
            stream=stream,
            page=InboundPage(items=tuple(items), cursor=cursor),
            structure=watch.structure,
            watch=watch,
            matched=matched,
        )
        if stored:
            stream.cursor = json.dumps({"etag": answer.etag, "modified": answer.modified, "found": found + stored})
            stream.save(update_fields=["cursor"])
    _done(stream, every=max(FEED_EVERY, timedelta(seconds=settings.INBOX_POLL_SECONDS)))
    return stored


# --- Reads for the pages.


@dataclass(frozen=True)
class StreamState:
    """One stream of a watch, as its page shows it."""

    kind: str  # SEARCH or FEED
    network_label: str
    target: str  # the term, or the feed's address
    read_at: object
    next_at: object
    last_error: str
    found: int


def watch_states(watches: list[Watch]) -> dict[int, list[StreamState]]:
    """The streams of ``watches`` with what each found, by watch id: three queries whatever the number."""
    sources = {watch_source(watch): watch.pk for watch in watches}
    streams = list(Stream.objects.filter(source__in=sources).order_by("name"))
    counts = {
        (row["source"], row["conversation__network"], row["matched"]): row["n"]
        for row in Item.objects.filter(source__in=sources)
        .exclude(conversation__network="")
        .values("source", "conversation__network", "matched")
        .annotate(n=Count("id"))
    }
    states: dict[int, list[StreamState]] = {watch.pk: [] for watch in watches}
    for stream in streams:
        kind, _sep, rest = stream.name.partition(":")
        if kind == SEARCH:
            network, _sep, term = rest.partition(":")
            try:
                label = get_connector(network).label
            except LookupError:
                label = network
            found = counts.get((stream.source, network, term), 0)
            target = term
        else:
            label, target = "", rest
            found = int(feeds.cursor_values(stream.cursor).get("found", 0) or 0)
        states[sources[stream.source]].append(
            StreamState(kind, label, target, stream.read_at, stream.next_at, stream.last_error, found)
        )
    return states
