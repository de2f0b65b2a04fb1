"""The small interface every network connector implements.

Contract shared by the publication engine, the composer and the statistics:

- A connector owns everything Terrain knows of its network: ``label``, ``max_chars``
  (``limit``), ``count_characters`` (the network's own counting rule: the composer
  shows it and the coach flags a text longer than the limit), ``link_in_text``
  (``sent_text``: the text as the network will count it), ``share`` (the one-tap
  share address for relays, or None) and ``auth_flow``. The choice lists, the
  composer's counters and the relays' share targets are derived from the registry
  (:mod:`terrain.networks.registry`); nothing else names a network.
- ``publish`` sends one post and returns its remote id and URL. It raises
  :class:`TransientError` (retry later, maybe after ``retry_after`` seconds),
  :class:`UncertainOutcome` (the request may have reached the network: call
  ``find_published`` before any retry), :class:`AuthError` (token expired or
  revoked: warn the owner, stop) or :class:`RejectedContent` (the network refused
  this content: tell the author, stop).
- ``find_published`` looks on the network for a post carrying ``content.marker``
  (a short opaque key the engine puts in every post it sends) so that a post whose
  outcome is uncertain is never sent twice.
- Every HTTP call has a timeout (``settings.NETWORK_TIMEOUT_SECONDS``).

The inbox (``terrain.inbox``) reads and answers through three more calls, for the
networks that allow them (``inbox_streams`` names what ``fetch_inbound`` can read):

- ``fetch_inbound(account, stream, cursor)`` reads one page of what people said to the
  account (replies, mentions, comments, direct messages) after ``cursor``, oldest first,
  as :class:`InboundPage`: its items and the cursor to resume from. The cursor is the
  network's own (an id, a date, a token), opaque to Terrain, stored after the items.
- ``search_public(account, query, cursor)`` does the same for a keyword watch, on the
  network's public search (Mastodon, Bluesky).
- ``reply(account, to, content)`` answers an item (``to`` is its ``reply_to``); like
  ``publish`` it carries ``content.marker`` so that a reply is never sent twice.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _

from terrain.networks.sharing import ShareLink

logger = logging.getLogger(__name__)


class ConnectorError(Exception):
    """A failure talking to a network, with a message fit for the author."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class TransientError(ConnectorError):
    """Timeout, 5xx, 429: try again later, after ``retry_after`` seconds if given."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class UncertainOutcome(TransientError):
    """The request left and no answer came back: the post may exist on the network."""


class PermanentError(ConnectorError):
    """Retrying cannot help."""


class AuthError(PermanentError):
    """The token or password is expired, revoked or wrong: the account must be reconnected."""


class PermissionMissing(AuthError):
    """The connection works, but lacks a permission this call needs (one declined in the
    network's dialog, or the account connected before Terrain asked for it). Connecting the
    account again, granting it, cures it: a post still needs that, but reading the inbox only
    stops that reading, and the account goes on publishing."""


class RejectedContent(PermanentError):
    """The network refused this content (too long, bad media, duplicate...)."""


@dataclass
class AccountData:
    """What a connector needs to act for one connected account.

    ``secrets`` is decrypted by the caller; a connector that refreshes a token
    updates ``secrets`` in place and sets ``secrets_changed`` so that the caller
    stores the new value (encrypted).

    ``renewing`` (set by the caller when the account is stored) serialises token
    renewals across workers: a connector renews inside ``with account.renewal(spent)``
    (:meth:`renewal`). Where a refresh token works once (X), two workers renewing
    at the same moment would otherwise spend it twice, and the second would find
    the account disconnected.
    """

    api_base: str
    secrets: dict[str, Any]
    handle: str = ""
    remote_id: str = ""
    secrets_changed: bool = False
    #: ``renewing(account_data)``: a context manager that holds the stored account
    #: for this renewal alone, yields its secrets as stored now, and stores
    #: ``secrets`` before letting go when ``secrets_changed`` is set.
    renewing: Callable[[AccountData], AbstractContextManager[dict[str, Any]]] | None = field(
        default=None, repr=False, compare=False
    )

    @contextmanager
    def renewal(self, spent_token: str) -> Iterator[bool]:
        """Renew the token ``spent_token`` once across workers: yields whether to renew.

        False when another worker renewed it meanwhile: ``secrets`` now hold what it
        stored, and there is nothing to do. True: renew in the ``with`` block, update
        ``secrets`` and set ``secrets_changed``; they are stored before another worker
        may look.
        """
        if self.renewing is None:
            yield True
            return
        with self.renewing(self) as stored:
            if stored.get("access_token") and stored.get("access_token") != spent_token:
                self.secrets = dict(stored)
                yield False
            else:
                yield True


@dataclass(frozen=True)
class Media:
    data: bytes
    mime_type: str
    alt: str
    filename: str = "image.jpg"


@dataclass(frozen=True)
class Content:
    text: str
    media: tuple[Media, ...] = ()
    link: str = ""
    marker: str = ""
    title: str = ""  # used by channels with a subject line (newsletter, RSS)


@dataclass(frozen=True)
class RemotePost:
    remote_id: str
    url: str = ""


@dataclass(frozen=True)
class AccountInfo:
    remote_id: str
    handle: str
    display_name: str = ""
    followers: int | None = None
    url: str = ""


@dataclass(frozen=True)
class Metrics:
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RateLimit:
    """At most ``calls`` publications per ``seconds`` per account (the network's published limit)."""

    calls: int
    seconds: int


@dataclass(frozen=True)
class InboundItem:
    """One thing someone said to (or, for a watch, about) an account, as the network gives it.

    Texts are plain text (the connector turns the network's HTML into text); nothing here is
    trusted: the inbox cleans and escapes it again.
    """

    remote_id: str  # unique within the account (or the watch)
    kind: str  # "reply", "mention", "comment", "message" or "watch" (terrain.inbox.models.ItemKind)
    text: str
    created_at: datetime
    author_handle: str = ""
    author_name: str = ""
    author_url: str = ""
    url: str = ""
    #: What it answers on the network (a post's or a comment's remote id): the inbox puts it in the
    #: thread of that item when it knows it, else in the thread of that post. Empty: a thread of its own.
    parent: str = ""
    #: What an answer from us should reply to (a status id, a comment id, a chat id...); empty
    #: when the network gives no way to answer it.
    reply_to: str = ""
    #: Whether ``parent`` is one of the account's own posts (a reply to us rather than a mention).
    parent_is_ours: bool = False


@dataclass(frozen=True)
class InboundPage:
    items: tuple[InboundItem, ...]
    cursor: str  # where the next call resumes (the network's own marker); the same when nothing came
    more: bool = False  # a full page: call again at once


#: The methods through which Terrain calls a network, and whether each one creates something there.
CALLS = {
    "validate_credentials": False,
    "publish": True,
    "find_published": False,
    "delete": False,
    "fetch_metrics": False,
    "fetch_followers": False,
    "register_client": False,
    "exchange_code": False,
    "list_pages": False,
    "page_secrets": False,
    "fetch_inbound": False,
    "search_public": False,
    "reply": True,
}


def unreachable(network: str, detail: object) -> str:
    """The message when a connection could not even be made (the detail goes to the log, not to people)."""
    logger.warning("%s could not be reached: %s", network, detail)
    return _(
        "Terrain could not reach the %(network)s server: it did not answer, or its address is wrong."
        " Check the address, or try again in a few minutes."
    ) % {"network": network}


def no_answer(network: str, detail: object, *, sending: bool) -> str:
    """The message when a request left and no answer came back (the detail goes to the log)."""
    logger.warning("%s did not answer: %r", network, detail)
    if sending:
        return _("%(network)s did not answer in time: Terrain will check whether the post went out.") % {
            "network": network
        }
    return _("%(network)s did not answer in time: Terrain will try again later.") % {"network": network}


def oauth_app_configured(kind: str) -> bool:
    """Whether ``settings.NETWORK_OAUTH_CLIENTS[kind]`` has a client id and secret."""
    client = getattr(settings, "NETWORK_OAUTH_CLIENTS", {}).get(kind) or {}
    return bool(client.get("client_id") and client.get("client_secret"))


def _classifying(method: Callable[..., Any], *, kind: str, sending: bool) -> Callable[..., Any]:
    """``method`` whose errors are all :class:`ConnectorError`: anything else (a bug, a
    library's surprise such as a ``RecursionError``) becomes transient, logged with its
    traceback, so the engine retries a bounded number of times and then gives up with a
    reason, and the connect screens answer with a sentence instead of an error page.
    ``publish`` may have sent the post before the surprise: it is an uncertain outcome."""

    @functools.wraps(method)
    def call(self: Connector, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ConnectorError:
            raise
        except Exception as error:
            logger.error("Connector %s: unexpected error in %s", kind, method.__name__, exc_info=error)
            message = _("%(network)s answered in an unexpected way: Terrain will try again later.") % {
                "network": self.label
            }
            raise (UncertainOutcome if sending else TransientError)(message) from error

    call.classifying = True  # type: ignore[attr-defined]
    return call


class Connector:
    """Base class: subclasses set the class attributes and override the methods.

    Every call of :data:`CALLS` a subclass defines raises only :class:`ConnectorError`
    (see :func:`_classifying`, applied to each subclass).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, sending in CALLS.items():
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, "classifying", False):
                setattr(cls, name, _classifying(method, kind=getattr(cls, "kind", cls.__name__), sending=sending))

    kind: ClassVar[str]  # "mastodon" (at most 16 characters: the models' column)
    label: ClassVar[str]  # "Mastodon" (a proper name, not translated)
    #: Where the network comes in choice lists and counters (lower first, then by kind).
    position: ClassVar[int] = 100
    #: The most characters of a post as the network counts them (:meth:`count_characters`); None: no limit.
    max_chars: ClassVar[int | None] = None
    #: Whether the message's link ends the text (the network has no link field of its own).
    link_in_text: ClassVar[bool] = False
    #: The one-tap share address members use on their own accounts (relays), or None.
    share: ClassVar[ShareLink | None] = None
    max_media: ClassVar[int] = 4
    media_required: ClassVar[bool] = False  # Instagram needs an image
    default_api_base: ClassVar[str] = ""
    #: "oauth" (redirect flow), "app_password", "bot_token", "owned" (newsletter, RSS)
    auth_flow: ClassVar[str] = "oauth"
    rate_limit: ClassVar[RateLimit] = RateLimit(calls=300, seconds=3 * 3600)
    #: Whether messages can be published to it (False: a channel that only receives, an e-mail inbox).
    can_publish: ClassVar[bool] = True
    #: What :meth:`fetch_inbound` can read for the inbox ("notifications", "messages"...); () for none.
    inbox_streams: ClassVar[tuple[str, ...]] = ()
    #: Whether :meth:`search_public` works (keyword watches).
    can_search: ClassVar[bool] = False
    #: The network's published limit on reads, per account (the inbox paces its polling on it).
    read_limit: ClassVar[RateLimit] = RateLimit(calls=300, seconds=5 * 60)
    #: What the site's administrator sets for :meth:`is_configured` (environment variables).
    setup_settings: ClassVar[tuple[str, ...]] = ()

    def is_configured(self) -> bool:
        """Whether accounts can be connected on this site (an OAuth app registered with the network)."""
        return True

    @property
    def timeout(self) -> float:
        return float(getattr(settings, "NETWORK_TIMEOUT_SECONDS", 10))

    def api_base(self, account: AccountData | None = None) -> str:
        """The API root: the account's own, else the setting override (tests, bench), else the default."""
        if account is not None and account.api_base:
            return account.api_base.rstrip("/")
        overrides = getattr(settings, "NETWORK_API_BASES", {})
        return overrides.get(self.kind, self.default_api_base).rstrip("/")

    def count_characters(self, text: str) -> int:
        """The length of ``text`` as the network measures it (plain characters unless said otherwise)."""
        return len(text)

    def limit(self, *, with_media: bool = False) -> int | None:
        """The most characters a post may have (some networks allow fewer beside an image)."""
        return self.max_chars

    def link_counts_in_text(self, *, with_media: bool) -> bool:
        """Whether the message's link is sent at the end of the text (and so counts in it)."""
        return self.link_in_text

    def sent_text(self, text: str, link: str, *, with_media: bool = False) -> str:
        """The text as the network will count it: where the link has no field of its own, it ends the text."""
        if not (link and self.link_counts_in_text(with_media=with_media) and link not in text):
            return text
        return f"{text.rstrip()}\n\n{link}" if text else link

    def page_url(self, *, account_remote_id: str, remote_id: str, remote_url: str) -> str:
        """Where people read a published post (what militants share): a web page, never a file.

        By default the address the network gave back; a channel whose address is not a
        page (an entry of a feed file) says where its page is.
        """
        return remote_url

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        raise NotImplementedError

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        raise NotImplementedError

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        raise NotImplementedError

    def delete(self, account: AccountData, remote_id: str) -> None:
        raise NotImplementedError

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        raise NotImplementedError

    def fetch_followers(self, account: AccountData) -> int | None:
        return self.validate_credentials(account).followers

    # The inbox (for the networks that allow it).
    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        raise NotImplementedError

    def search_public(self, account: AccountData, query: str, cursor: str) -> InboundPage:
        raise NotImplementedError

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        raise NotImplementedError

    # OAuth connectors only.
    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        raise NotImplementedError

    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """Mastodon-style dynamic app registration; others read their client id from settings."""
        return {}

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        """Trade an authorisation code for the secrets to store."""
        raise NotImplementedError
