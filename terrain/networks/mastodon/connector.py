"""Mastodon, through the Mastodon.py library.

Connecting an account (the connect screen calls these, in this order):

1. ``register_client(api_base=, redirect_uri=)`` registers Terrain as an app on the
   member's instance (``POST /api/v1/apps``) and returns ``{"client_id", "client_secret"}``;
   keep it for step 3 (an instance has one registration per Terrain site and redirect URI).
2. ``authorization_url(api_base=, redirect_uri=, state=, client=)``: send the browser there.
3. ``exchange_code(api_base=, code=, redirect_uri=, client=)`` returns the secrets to store:
   ``{"access_token", "client_id", "client_secret"}``.
4. ``validate_credentials(account)`` returns the :class:`AccountInfo` (id, handle, followers).

No duplicate post (``find_published``): every status is sent with the header
``Idempotency-Key: <marker>`` (Mastodon answers a repeated key with the status it
already created, for an hour), and ``find_published`` looks through the account's
recent statuses for one with the same text (links and spaces aside) posted in the
last :data:`FIND_WINDOW`. The marker itself stays out of the visible text: a code in
a post would puzzle readers and screen readers.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from terrain.lib.outbound import UnsafeAddress, check_url, guarded_session
from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    ConnectorError,
    Content,
    InboundItem,
    InboundPage,
    Metrics,
    PermanentError,
    PermissionMissing,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
    no_answer,
    unreachable,
)
from terrain.networks.mastodon.text import count_characters, fingerprint, html_to_text, with_link
from terrain.networks.sharing import ShareLink, ShareText

T = TypeVar("T")
logger = logging.getLogger(__name__)

SCOPES = ["read", "write"]
CLIENT_NAME = "Terrain"
#: How far back ``find_published`` looks: retries after an uncertain outcome come within hours.
FIND_WINDOW = timedelta(hours=24)
MEDIA_POLLS = 10  # seconds to wait for an instance to process an uploaded image
#: The server version Mastodon.py is told, so that it never asks (see ``_Client``).
ASSUMED_VERSION = (4, 0, 0)


class MastodonShare(ShareLink):
    budget = 380  # room for the member's line and the link within 500

    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://{instance}/share?text={quote(self.text(share))}" if instance else ""


class MastodonConnector(Connector):
    kind = "mastodon"
    label = "Mastodon"
    position = 10
    link_in_text = True
    share = MastodonShare()
    max_chars = 500  # the default of mastodon.social; instances may raise it
    max_media = 4
    default_api_base = "https://mastodon.social"
    auth_flow = "oauth"
    # docs.joinmastodon.org/api/rate-limits: "Posting statuses: 300 per 3 hours" per account.
    rate_limit = RateLimit(calls=300, seconds=3 * 3600)

    # Counting ----------------------------------------------------------
    def count_characters(self, text: str) -> int:
        return count_characters(text)

    # Client ------------------------------------------------------------
    def _client(self, api_base: str, *, access_token: str | None = None, **kwargs: Any) -> _Client:
        return _Client(api_base=api_base, access_token=access_token, timeout=self.timeout, **kwargs)

    def _account_client(self, account: AccountData, *, plain_answers: bool = False) -> _Client:
        token = account.secrets.get("access_token")
        if not token:
            raise AuthError(_msg(_("No credentials are stored for this %(network)s account: reconnect it.")))
        return self._client(self.api_base(account), access_token=token, plain_answers=plain_answers)

    # OAuth -------------------------------------------------------------
    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """Register Terrain on the instance; returns ``{"client_id", "client_secret"}``.

        The first call to an address a member typed: refused (:class:`PermanentError`,
        one message whatever the reason) unless it is public or explicitly allowed.
        """
        api_base = api_base.rstrip("/")
        try:
            check_url(api_base)
        except UnsafeAddress as error:
            raise PermanentError(error.message) from None
        client = self._client(api_base)
        client_id, client_secret = client.call(
            lambda: Mastodon.create_app(
                CLIENT_NAME,
                scopes=SCOPES,
                redirect_uris=redirect_uri,
                api_base_url=api_base,
                request_timeout=self.timeout,
                session=client.session,
            )
        )
        return {"client_id": client_id, "client_secret": client_secret}

    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        """The instance's consent page; it redirects to ``redirect_uri?code=...&state=...``.

        Built locally (no network call): ``/oauth/authorize`` is Mastodon's fixed path.
        """
        api = Mastodon(client_id=client["client_id"], client_secret=client["client_secret"], api_base_url=api_base)
        return api.auth_request_url(
            redirect_uris=redirect_uri,
            scopes=SCOPES,
            state=state,
            force_login=True,  # ask which account: the member may be signed in with a personal one
            lang=(get_language() or settings.LANGUAGE_CODE)[:2],  # the consent page in the member's language
            skip_server_info=True,
        )

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        """Trade the code for a token; raises :class:`AuthError` when the instance refuses it."""
        api_base = api_base.rstrip("/")
        wrapper = self._client(api_base, client_id=client["client_id"], client_secret=client["client_secret"])
        try:
            token = wrapper.call(
                lambda: wrapper.api.log_in(
                    code=code,
                    redirect_uri=redirect_uri,
                    scopes=SCOPES,
                    allow_http=api_base.startswith("http://"),  # only when the instance itself is plain HTTP
                )
            )
        except PermanentError as error:
            # Mastodon.py reports a refused code (invalid_grant) as an illegal argument; a token
            # endpoint that failed or did not answer is classified from its own error (``call``).
            if isinstance(error.__cause__, MastodonIllegalArgumentError):
                raise AuthError(
                    _msg(_("%(network)s refused the authorisation: start the connection again.")),
                    status=error.status,
                ) from error
            raise
        return {"access_token": token, "client_id": client["client_id"], "client_secret": client["client_secret"]}

    # Account -----------------------------------------------------------
    def validate_credentials(self, account: AccountData) -> AccountInfo:
        client = self._account_client(account)
        me = client.call(client.api.account_verify_credentials)
        return AccountInfo(
            remote_id=str(me["id"]),
            handle=f"@{me['acct']}",
            display_name=me.get("display_name") or me["username"],
            followers=int(me.get("followers_count") or 0),
            url=me.get("url") or "",
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return self.validate_credentials(account).followers

    # Posts -------------------------------------------------------------
    def publish(self, account: AccountData, content: Content) -> RemotePost:
        # Only the ids and URLs of the answers are read: no typed objects (see ``_Client``).
        client = self._account_client(account, plain_answers=True)
        media_ids = []
        for media in content.media[: self.max_media]:
            uploaded = client.call(
                lambda media=media: client.api.media_post(
                    io.BytesIO(media.data),
                    mime_type=media.mime_type,
                    description=media.alt,
                    file_name=media.filename,
                ),
            )  # a lost answer here leaves at most an unattached upload, which the instance cleans up
            self._wait_processed(client, uploaded)
            media_ids.append(uploaded["id"])
        status = client.call(
            lambda: client.api.status_post(
                with_link(content.text, content.link),
                media_ids=media_ids or None,
                visibility="public",
                language=settings.LANGUAGE_CODE[:2],
                idempotency_key=content.marker or None,
            ),
            sending=True,
        )
        return RemotePost(remote_id=str(status["id"]), url=status.get("url") or "")

    def _wait_processed(self, client: _Client, uploaded: dict[str, Any]) -> None:
        """A large image is processed in the background (202, no ``url`` yet): wait a little, not forever."""
        media_id = uploaded["id"]
        for _attempt in range(MEDIA_POLLS):
            if uploaded.get("url"):
                return
            time.sleep(1)
            uploaded = client.call(lambda: client.api.media(media_id))
        if not uploaded.get("url"):
            raise TransientError(_msg(_("%(network)s is still processing the image: %(reason)s"), media_id))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        client = self._account_client(account)
        me_id = account.remote_id or str(client.call(client.api.account_verify_credentials)["id"])
        wanted = fingerprint(with_link(content.text, content.link))
        since = datetime.now(UTC) - FIND_WINDOW
        statuses = client.call(
            lambda: client.api.account_statuses(me_id, limit=40, exclude_reblogs=True, exclude_replies=True)
        )
        for status in statuses:
            created = status.get("created_at")
            if isinstance(created, datetime) and created.astimezone(UTC) < since:
                break  # newest first: the rest is older
            if fingerprint(html_to_text(status.get("content") or "")) == wanted:
                return RemotePost(remote_id=str(status["id"]), url=status.get("url") or "")
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        """Delete a status; one already gone counts as deleted."""
        client = self._account_client(account)
        try:
            client.call(lambda: client.api.status_delete(remote_id))
        except PermanentError as error:
            if error.status != 404:
                raise

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        client = self._account_client(account)
        status = client.call(lambda: client.api.status(remote_id))
        return Metrics(
            likes=int(status.get("favourites_count") or 0),
            reposts=int(status.get("reblogs_count") or 0),
            replies=int(status.get("replies_count") or 0),
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("notifications",)
    can_search = True
    # docs.joinmastodon.org/api/rate-limits: 300 calls per 5 minutes per account.
    read_limit = RateLimit(calls=300, seconds=5 * 60)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """The mentions of the account after ``cursor`` (a notification id): replies to our posts,
        mentions, direct messages (a mention in a ``direct`` status). Oldest first; a server that
        ignores ``min_id`` gives the newest page again, which the inbox recognises."""
        if stream != "notifications":
            raise PermanentError(_msg(_("%(network)s has no such stream: %(reason)s"), stream))
        client = self._account_client(account, plain_answers=True)
        notifications = client.call(
            lambda: client.api.notifications(types=["mention"], min_id=cursor or None, limit=INBOX_PAGE)
        )
        if not isinstance(notifications, list):
            raise TransientError(_unexpected())
        items = []
        for notification in notifications:
            if not isinstance(notification, dict) or notification.get("type") != "mention":
                continue  # another kind of notification from a server that ignored the filter
            item = _inbound_status(notification.get("status"), me=account.remote_id, remote_id=notification.get("id"))
            if item is not None:
                items.append(item)
        newest = str(notifications[0].get("id") or "") if notifications and isinstance(notifications[0], dict) else ""
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=newest or cursor, more=len(notifications) >= INBOX_PAGE)

    def search_public(self, account: AccountData, query: str, cursor: str) -> InboundPage:
        """Public statuses about ``query`` after ``cursor`` (a status id): a hashtag's timeline for
        "#word", else the instance's full-text search (which some instances only offer to statuses
        their users saw)."""
        client = self._account_client(account, plain_answers=True)
        query = query.strip()
        if query.startswith("#") and len(query) > 1:
            tag = query[1:]
            statuses = client.call(lambda: client.api.timeline_hashtag(tag, min_id=cursor or None, limit=INBOX_PAGE))
        else:
            # No ``result_type``: with it, Mastodon.py pages by offset and reads the answer as an
            # object (``response.statuses``), which fails on the plain JSON this client keeps.
            found = client.call(lambda: client.api.search_v2(query, resolve=False, min_id=cursor or None))
            statuses = found.get("statuses") if isinstance(found, dict) else None
        if not isinstance(statuses, list):
            raise TransientError(_unexpected())
        items = [
            item
            for status in statuses
            if (item := _inbound_status(status, me=account.remote_id, kind="watch")) is not None
        ]
        newest = str(statuses[0].get("id") or "") if statuses and isinstance(statuses[0], dict) else ""
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=newest or cursor, more=len(statuses) >= INBOX_PAGE)

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the status ``to``, mentioning its author (so that they hear it) with its
        visibility (a direct message stays direct). ``Idempotency-Key`` = the marker."""
        client = self._account_client(account, plain_answers=True)
        parent = client.call(lambda: client.api.status(to))
        if not isinstance(parent, dict):
            raise TransientError(_unexpected())
        author = (parent.get("account") or {}).get("acct") or ""
        text = content.text if not author or f"@{author}" in content.text else f"@{author} {content.text}"
        visibility = parent.get("visibility") if parent.get("visibility") in VISIBILITIES else "public"
        status = client.call(
            lambda: client.api.status_post(
                text,
                in_reply_to_id=to,
                visibility=visibility,
                language=settings.LANGUAGE_CODE[:2],
                idempotency_key=content.marker or None,
            ),
            sending=True,
        )
        return RemotePost(remote_id=str(status["id"]), url=status.get("url") or "")


INBOX_PAGE = 40
VISIBILITIES = ("public", "unlisted", "private", "direct")


def _when(value: Any) -> datetime:
    """A status's date as the server wrote it; now when it is missing or unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _inbound_status(status: Any, *, me: str, remote_id: Any = None, kind: str = "") -> InboundItem | None:
    """An inbox item from a status (None for one too malformed to show)."""
    if not isinstance(status, dict) or not status.get("id"):
        return None
    author = status.get("account") if isinstance(status.get("account"), dict) else {}
    parent = str(status.get("in_reply_to_id") or "")
    to_us = bool(me) and str(status.get("in_reply_to_account_id") or "") == me
    if not kind:
        kind = "message" if status.get("visibility") == "direct" else "reply" if to_us else "mention"
    return InboundItem(
        remote_id=str(remote_id or status["id"]),
        kind=kind,
        text=html_to_text(str(status.get("content") or "")),
        created_at=_when(status.get("created_at")),
        author_handle=f"@{author['acct']}" if author.get("acct") else "",
        author_name=str(author.get("display_name") or author.get("username") or ""),
        author_url=str(author.get("url") or ""),
        url=str(status.get("url") or status.get("uri") or ""),
        parent=parent,
        reply_to=str(status["id"]),
        parent_is_ours=to_us,
    )


_local = threading.local()
#: Per thread: at most this many instances kept open (a worker publishes to many instances).
SESSIONS_PER_THREAD = 32


def _session(api_base: str) -> requests.Session:
    """This thread's HTTP session to an instance: its connections are kept alive between posts.

    A new session (so a new TCP connection) for every post cost both sides more than
    the post itself under load. Sessions never keep cookies: one session serves every
    account of the instance, each call carrying its own token.
    """
    sessions: dict[str, requests.Session] = _local.__dict__.setdefault("sessions", {})
    session = sessions.pop(api_base, None)
    if session is None:
        # The instance's address came from a member: every connection and redirect is checked.
        session = guarded_session()
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        session.hooks["response"].append(_keep_response)
        if len(sessions) >= SESSIONS_PER_THREAD:
            sessions.pop(next(iter(sessions))).close()  # the least recently used
    sessions[api_base] = session  # last = most recently used
    return session


def _keep_response(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # A thread makes one call at a time, so its last response is the one a 429 is about.
    _local.last_response = response


class _Client:
    """A Mastodon.py client on this thread's session to the instance, with its errors classified.

    A ``requests`` session hook keeps the last response so that ``Retry-After`` (which
    Mastodon.py does not expose) can be read on a 429.

    ``plain_answers``: the answers stay the JSON the instance sent (dicts and lists)
    instead of Mastodon.py's typed objects. Building a ``Status`` with its account,
    emojis and the rest takes about 1.5 ms of CPU, a third of what publishing a post
    costs a worker, for the two keys the engine reads. Mastodon.py has no switch for
    it: its private caster is replaced on this client alone (pinned version; a test
    checks that nothing is cast while publishing and that other calls still are).
    """

    def __init__(
        self,
        *,
        api_base: str,
        access_token: str | None,
        timeout: float,
        client_id: str | None = None,
        client_secret: str | None = None,
        plain_answers: bool = False,
    ) -> None:
        self.session = _session(api_base.rstrip("/"))
        _local.last_response = None
        self.api = Mastodon(
            client_id=client_id,
            client_secret=client_secret,
            access_token=access_token,
            api_base_url=api_base,
            request_timeout=timeout,
            ratelimit_method="throw",  # never sleep in a worker: the engine reschedules
            version_check_mode="none",
            # Without a known version Mastodon.py still asks the instance for it (in
            # ``media_post``, ``log_in``...), and when ``/api/v1/instance`` fails (another
            # implementation, a 5xx, a timeout) it asks again from inside the check until the
            # stack overflows. Told a version, it never asks; "none" does not parse it, so
            # the numbers its checks compare are set here too (Mastodon.py 2.3.3).
            mastodon_version=".".join(map(str, ASSUMED_VERSION)),
            session=self.session,
        )
        self.api.mastodon_major, self.api.mastodon_minor, self.api.mastodon_patch = ASSUMED_VERSION
        if plain_answers:
            # An instance attribute comes before the class's method (name-mangled in Mastodon.py).
            self.api._Mastodon__try_cast_to_type = _as_sent

    @property
    def last_response(self) -> requests.Response | None:
        return getattr(_local, "last_response", None)

    def call(self, func: Callable[[], T], *, sending: bool = False) -> T:
        """Run ``func`` and turn any error into one of the connector's classified errors.

        ``sending``: the call creates something, so a lost answer is an uncertain outcome.
        Nothing else escapes: a surprise inside Mastodon.py (a bug, a server that differs
        from Mastodon) is transient, so the engine tries a bounded number of times.
        """
        try:
            return func()
        except Exception as error:
            raise self.classify(error, sending=sending) from error

    def classify(self, error: Exception, *, sending: bool = False) -> ConnectorError:
        if isinstance(error, MastodonIllegalArgumentError) and isinstance(error.__context__, MastodonError):
            # ``log_in`` wraps whatever the token endpoint did (a 5xx, a timeout) in an illegal argument.
            inner = self.classify(error.__context__, sending=sending)
            if isinstance(inner, TransientError | AuthError):
                return inner
            return PermanentError(inner.message, status=inner.status)
        if isinstance(error, MastodonRatelimitError):
            return TransientError(
                _msg(_("%(network)s asks to wait before publishing again.")),
                status=429,
                retry_after=self._retry_after(),
            )
        if isinstance(error, MastodonUnauthorizedError):
            return AuthError(_refused_account(error), status=401)
        if isinstance(error, MastodonServerError):
            return TransientError(
                _msg(
                    _("The %(network)s server has a problem (error %(reason)s): Terrain will try again later."),
                    _status(error) or 500,
                ),
                status=_status(error),
                retry_after=self._retry_after(),
            )
        if isinstance(error, MastodonNotFoundError):
            return PermanentError(_msg(_("Not found on %(network)s: %(reason)s"), _reason(error)), status=404)
        if isinstance(error, MastodonAPIError):
            return _classify_api_error(error)
        if isinstance(error, MastodonNetworkError):
            if _never_sent(error):
                return TransientError(unreachable("Mastodon", error))
            if sending:
                return UncertainOutcome(no_answer("Mastodon", error, sending=True))
            return TransientError(no_answer("Mastodon", error, sending=False))
        if isinstance(error, MastodonError):
            return PermanentError(_msg(_("Error from %(network)s: %(reason)s"), error))
        logger.warning("Unexpected error from Mastodon.py", exc_info=error)
        if sending:
            return UncertainOutcome(_unexpected())
        return TransientError(_unexpected())

    def _retry_after(self) -> float | None:
        response = self.last_response
        if response is not None:
            value = response.headers.get("Retry-After", "")
            if value.strip().isdigit():
                return float(value)
        reset = getattr(self.api, "ratelimit_reset", None)
        if reset:
            return max(0.0, float(reset) - time.time())
        return None


def _as_sent(value: Any, override_type: Any = None) -> tuple[Any, None]:
    """Mastodon.py's ``__try_cast_to_type`` that keeps the answer as parsed from JSON."""
    return value, None


def _classify_api_error(error: MastodonAPIError) -> ConnectorError:
    """A 4xx other than 401, 404 and 429. Servers that are not Mastodon answer with other
    codes (a 400 where Mastodon says 401 or 422): the message decides as much as the code."""
    status = _status(error)
    reason = _reason(error)
    words = reason.lower()
    if status == 403 and "scope" in words:  # "This action is outside the authorized scopes"
        return PermissionMissing(_refused_account(error), status=status)
    if status in (401, 403) or ("token" in words and any(w in words for w in ("invalid", "expired", "revoked"))):
        return AuthError(_refused_account(error), status=status)
    if status == 422 and "processing" in words:
        # "Cannot attach files that have not finished processing. Try again in a moment!"
        return TransientError(_msg(_("%(network)s asks to try again later: %(reason)s"), reason), status=status)
    if status == 422 or (status == 400 and any(w in words for w in ("too long", "limit", "characters", "validation"))):
        return RejectedContent(_msg(_("%(network)s refused this post: %(reason)s"), reason), status=status)
    if status in (408, 409, 425):
        return TransientError(_msg(_("%(network)s asks to try again later: %(reason)s"), reason), status=status)
    return PermanentError(_msg(_("Error from %(network)s: %(reason)s"), reason), status=status)


def _refused_account(error: MastodonAPIError) -> str:
    return _msg(
        _("%(network)s no longer accepts Terrain's access to this account (%(reason)s): reconnect it."),
        _reason(error),
    )


def _unexpected() -> str:
    return _msg(_("%(network)s answered in an unexpected way: Terrain will try again later."))


def _status(error: MastodonAPIError) -> int | None:
    return error.args[1] if len(error.args) > 1 and isinstance(error.args[1], int) else None


def _reason(error: MastodonAPIError) -> str:
    return str(error.args[3]) if len(error.args) > 3 and error.args[3] else str(error)


def _never_sent(error: MastodonNetworkError) -> bool:
    """The connection was never made, so the request cannot have reached the instance."""
    cause = error.__context__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return True
    text = str(cause or error)
    return isinstance(cause, requests.exceptions.ConnectionError) and (
        "NewConnectionError" in text or "Connection refused" in text or "NameResolutionError" in text
    )


def _msg(template: str, reason: object = "") -> str:
    """A translated message naming the network (and what it said, when it said something)."""
    return template % {"network": "Mastodon", "reason": reason}
