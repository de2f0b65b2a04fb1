"""X (formerly Twitter), API v2 with OAuth 2.0 (authorization code with PKCE), over httpx.

Connecting an account (the connect screen calls these, in this order):

1. ``register_client(api_base=, redirect_uri=)`` returns the site's X app
   (``settings.X_CLIENT_ID`` / ``X_CLIENT_SECRET``, registered once on the X developer
   portal with this ``redirect_uri``) plus a fresh PKCE ``code_verifier``. Keep this dict
   server-side (the session) until step 3: the verifier must not reach the browser.
2. ``authorization_url(api_base=, redirect_uri=, state=, client=)``: the consent page,
   with the S256 ``code_challenge`` of that verifier.
3. ``exchange_code(api_base=, code=, redirect_uri=, client=)`` returns the secrets to
   store: ``{"access_token", "refresh_token", "expires_at", "client_id"}``.
4. ``validate_credentials(account)`` returns the :class:`AccountInfo`.

Access tokens last two hours. A call made with an expired one (known from
``expires_at``, or answered 401) refreshes it once with the refresh token; X rotates
refresh tokens (each works once), so the new pair is written to ``account.secrets`` and
``account.secrets_changed`` is set: the caller must store them before anything else.
The refresh runs inside ``account.renewal`` (``AccountData``): across workers one renews,
and one that read the account before finds the new pair stored instead of spending the
old refresh token again. A refused refresh is an :class:`AuthError` (the member removed
the app).

No duplicate post: a post has nowhere to hide a marker, so ``find_published`` looks
through the account's latest posts for the same text (X rewrites links to t.co, so
links are left out of the comparison) posted in the last :data:`FIND_WINDOW`. X also
refuses a post identical to a recent one (403, mapped to :class:`RejectedContent`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    InboundItem,
    InboundPage,
    Metrics,
    PermanentError,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
    no_answer,
    unreachable,
)
from terrain.networks.counting import count_x
from terrain.networks.sharing import ShareLink, ShareText

SCOPES = "tweet.read tweet.write users.read media.write offline.access"
WEB = "https://x.com"
FIND_WINDOW = timedelta(hours=24)
URL_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
LEADING_MENTIONS_RE = re.compile(r"^(?:@\w+\s+)+")
EXPIRY_MARGIN = 60  # seconds: refresh a token about to expire rather than have a call refused


def count_characters(text: str) -> int:
    """Weighted length per twitter-text v3: URLs 23, Latin scripts 1, others (CJK) 2, an emoji 2."""
    return count_x(text)


class XShare(ShareLink):
    budget = 180  # room for the member's line and the link within 280

    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://x.com/intent/post?text={quote(self.text(share))}"


def with_link(text: str, link: str) -> str:
    if not link or link in text:
        return text
    return f"{text.rstrip()}\n\n{link}"


def fingerprint(text: str) -> str:
    """What identifies a post's text across X's rewriting: links (t.co), spaces, case, ``&amp;``."""
    return re.sub(r"\s+", "", URL_RE.sub("", html.unescape(text))).casefold()


def code_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class XConnector(Connector):
    kind = "x"
    label = "X"
    position = 70
    link_in_text = True
    share = XShare()
    max_chars = 280  # weighted
    max_media = 4
    default_api_base = "https://api.x.com"
    auth_flow = "oauth"
    setup_settings = ("X_CLIENT_ID", "X_CLIENT_SECRET")

    def is_configured(self) -> bool:
        return bool(getattr(settings, "X_CLIENT_ID", ""))

    # X API v2 Basic access: POST /2/tweets is limited to 100 requests per 24 hours per user
    # (docs.x.com/x-api/fundamentals/rate-limits; the Free tier allows 17).
    rate_limit = RateLimit(calls=100, seconds=24 * 3600)

    def count_characters(self, text: str) -> int:
        return count_characters(text)

    # OAuth -------------------------------------------------------------
    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """The site's X app and a fresh PKCE verifier (keep server-side until ``exchange_code``)."""
        client_id = getattr(settings, "X_CLIENT_ID", "")
        if not client_id:
            raise PermanentError(_("X is not set up on this site: the administrator must set X_CLIENT_ID."))
        return {"client_id": client_id, "code_verifier": secrets.token_urlsafe(64)}

    def _authorize_endpoint(self, api_base: str) -> str:
        api_base = api_base.rstrip("/")
        if api_base == self.default_api_base:
            return f"{WEB}/i/oauth2/authorize"  # the consent page lives on x.com, not on the API host
        return f"{api_base}/i/oauth2/authorize"

    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        query = urlencode({
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "code_challenge": code_challenge(client["code_verifier"]),
            "code_challenge_method": "S256",
        })  # fmt: skip
        return f"{self._authorize_endpoint(api_base)}?{query}"

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        tokens = self._token_request(
            api_base.rstrip("/"),
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": client["code_verifier"],
                "client_id": client["client_id"],
            },
        )
        return {**self._secrets_from(tokens), "client_id": client["client_id"]}

    def _token_request(self, api_base: str, form: dict[str, str]) -> dict[str, Any]:
        secret = getattr(settings, "X_CLIENT_SECRET", "")
        auth = (form["client_id"], secret) if secret else None  # confidential client: HTTP Basic
        response = self._send("POST", f"{api_base}/2/oauth2/token", data=form, auth=auth)
        if response.status_code in (400, 401):
            raise AuthError(
                _msg(_("%(network)s refused the authorisation: %(reason)s"), _message(response)),
                status=response.status_code,
            )
        return _check(response)

    @staticmethod
    def _secrets_from(tokens: dict[str, Any]) -> dict[str, Any]:
        return {
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token", ""),
            "expires_at": time.time() + float(tokens.get("expires_in", 7200)),
        }

    def _refresh(self, account: AccountData) -> None:
        refresh = account.secrets.get("refresh_token")
        if not refresh:
            raise AuthError(
                _msg(_("No credentials are stored for this %(network)s account: reconnect it.")),
                status=401,
            )
        with account.renewal(account.secrets.get("access_token", "")) as renew:
            if not renew:
                return  # another worker renewed it: its tokens are in ``account.secrets`` now
            client_id = account.secrets.get("client_id") or getattr(settings, "X_CLIENT_ID", "")
            tokens = self._token_request(
                self.api_base(account),
                {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id},
            )
            account.secrets.update(self._secrets_from(tokens))
            account.secrets_changed = True

    # Calls -------------------------------------------------------------
    def _send(self, method: str, url: str, *, sending: bool = False, **kwargs: Any) -> httpx.Response:
        try:
            return httpx.request(method, url, timeout=self.timeout, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise TransientError(unreachable("X", error)) from error
        except httpx.TransportError as error:
            if sending:
                raise UncertainOutcome(no_answer("X", error, sending=True)) from error
            raise TransientError(no_answer("X", error, sending=False)) from error

    def _api(
        self,
        account: AccountData,
        method: str,
        path: str,
        *,
        sending: bool = False,
        writing: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Call the API with the account's token, refreshed first if expired and once more on a 401.

        ``sending``: the call creates the post (a lost answer is uncertain); ``writing``: it
        carries content (a 400 means the content is refused).
        """
        if not account.secrets.get("access_token"):
            raise AuthError(_msg(_("No credentials are stored for this %(network)s account: reconnect it.")))
        if float(account.secrets.get("expires_at") or 0) - EXPIRY_MARGIN < time.time():
            self._refresh(account)
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {account.secrets['access_token']}"}
            response = self._send(method, f"{self.api_base(account)}{path}", sending=sending, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 0:
                self._refresh(account)
                continue
            return _check(response, writing=sending or writing)
        raise AssertionError("unreachable")

    # Account -----------------------------------------------------------
    def _me(self, account: AccountData) -> dict[str, Any]:
        return self._api(account, "GET", "/2/users/me", params={"user.fields": "public_metrics"})["data"]

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        me = self._me(account)
        return AccountInfo(
            remote_id=me["id"],
            handle=f"@{me['username']}",
            display_name=me.get("name") or me["username"],
            followers=int((me.get("public_metrics") or {}).get("followers_count") or 0),
            url=f"{WEB}/{me['username']}",
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return self.validate_credentials(account).followers

    # Posts -------------------------------------------------------------
    def publish(self, account: AccountData, content: Content) -> RemotePost:
        media_ids = []
        for media in content.media[: self.max_media]:
            uploaded = self._api(
                account,
                "POST",
                "/2/media/upload",
                data={"media_category": "tweet_image", "media_type": media.mime_type},
                files={"media": (media.filename, media.data, media.mime_type)},
                writing=True,
            )["data"]
            if media.alt:
                self._api(
                    account,
                    "POST",
                    "/2/media/metadata",
                    json={"id": uploaded["id"], "metadata": {"alt_text": {"text": media.alt[:1000]}}},
                    writing=True,
                )
            media_ids.append(uploaded["id"])
        body: dict[str, Any] = {"text": with_link(content.text, content.link)}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        created = self._api(account, "POST", "/2/tweets", json=body, sending=True)["data"]
        return RemotePost(remote_id=created["id"], url=self._url(account, created["id"]))

    def _url(self, account: AccountData, tweet_id: str) -> str:
        handle = account.handle.lstrip("@")
        return f"{WEB}/{handle}/status/{tweet_id}" if handle else f"{WEB}/i/web/status/{tweet_id}"

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        user_id = account.remote_id or self._me(account)["id"]
        listing = self._api(
            account,
            "GET",
            f"/2/users/{user_id}/tweets",
            params={"max_results": 20, "tweet.fields": "created_at", "exclude": "retweets,replies"},
        )
        wanted = fingerprint(with_link(content.text, content.link))
        since = datetime.now(UTC) - FIND_WINDOW
        for tweet in listing.get("data", []):
            created = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00"))
            if created >= since and fingerprint(tweet["text"]) == wanted:
                return RemotePost(remote_id=tweet["id"], url=self._url(account, tweet["id"]))
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        """Delete the post; one already gone counts as deleted."""
        try:
            self._api(account, "DELETE", f"/2/tweets/{remote_id}")
        except PermanentError as error:
            if error.status != 404:
                raise

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        found = self._api(account, "GET", "/2/tweets", params={"ids": remote_id, "tweet.fields": "public_metrics"})
        if not found.get("data"):
            raise PermanentError(_msg(_("This post no longer exists on %(network)s.")), status=404)
        metrics = found["data"][0].get("public_metrics") or {}
        return Metrics(
            likes=int(metrics.get("like_count") or 0),
            reposts=int(metrics.get("retweet_count") or 0),
            replies=int(metrics.get("reply_count") or 0),
            extra={
                key.removesuffix("_count") + "s": int(metrics.get(key) or 0)
                for key in ("quote_count", "impression_count", "bookmark_count")
            },
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("mentions",)
    #: ``GET /2/tweets/search/recent`` needs a tier that allows it: not implemented, so no watches on X.
    can_search = False
    # GET /2/users/:id/mentions with Basic access: 10 requests per 15 minutes per user.
    read_limit = RateLimit(calls=10, seconds=15 * 60)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """The account's mentions (replies to its posts included) after ``cursor`` (a post id,
        X's ``since_id``), oldest first.

        X answers newest first, ``meta.next_token`` leading to older ones down to ``since_id``:
        every page is read (at most :data:`MENTION_PAGES`: X keeps the latest 800 mentions) and
        the whole comes as one page. The first reading takes the newest page only. A post without
        its ``includes`` (the author's name) keeps its author id; a malformed one is skipped.
        """
        if stream != "mentions":
            raise PermanentError(_msg(_("%(network)s has no such stream: %(reason)s"), stream))
        me = account.remote_id or self._me(account)["id"]
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if cursor:
            params["since_id"] = cursor
        tweets: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        for _page in range(MENTION_PAGES if cursor else 1):
            answer = self._api(account, "GET", f"/2/users/{me}/mentions", params=params)
            if not isinstance(answer, dict):
                raise TransientError(_unexpected())
            data = answer.get("data") or []
            includes = answer.get("includes") if isinstance(answer.get("includes"), dict) else {}
            for user in includes.get("users") or []:
                if isinstance(user, dict) and user.get("id"):
                    users[str(user["id"])] = user
            tweets += [t for t in data if isinstance(t, dict)] if isinstance(data, list) else []
            meta = answer.get("meta") if isinstance(answer.get("meta"), dict) else {}
            if not meta.get("next_token"):
                break
            params["pagination_token"] = meta["next_token"]
        items = [item for tweet in tweets if (item := self._inbound(account, tweet, me=me, users=users)) is not None]
        newest = max((_snowflake(t.get("id")) for t in tweets), default=0)
        if cursor.isdigit():
            newest = max(newest, int(cursor))
        items.sort(key=lambda item: (item.created_at, _snowflake(item.remote_id)))
        return InboundPage(items=tuple(items), cursor=str(newest) if newest else cursor)

    def _inbound(
        self, account: AccountData, tweet: dict[str, Any], *, me: str, users: dict[str, dict[str, Any]]
    ) -> InboundItem | None:
        tweet_id = str(tweet.get("id") or "")
        if not tweet_id.isdigit() or not isinstance(tweet.get("text"), str):
            return None
        author_id = str(tweet.get("author_id") or "")
        if author_id == me:
            return None  # our own post naming us (a thread of ours)
        author = users.get(author_id) or {}
        username = str(author.get("username") or "")
        references = tweet.get("referenced_tweets") if isinstance(tweet.get("referenced_tweets"), list) else []
        parent = next(
            (str(r.get("id")) for r in references if isinstance(r, dict) and r.get("type") == "replied_to"), ""
        )
        ours = bool(parent) and str(tweet.get("in_reply_to_user_id") or "") == me
        created = _parse_time(tweet.get("created_at")) or datetime.fromtimestamp(_snowflake_time(tweet_id), UTC)
        return InboundItem(
            remote_id=tweet_id,
            kind="reply" if ours else "mention",
            text=html.unescape(tweet["text"]),
            created_at=created,
            author_handle=f"@{username}" if username else "",
            author_name=str(author.get("name") or username or author_id),
            author_url=f"{WEB}/{username}" if username else "",
            url=f"{WEB}/{username or 'i/web'}/status/{tweet_id}",
            parent=parent,
            reply_to=tweet_id,
            parent_is_ours=ours,
        )

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the post ``to`` (``POST /2/tweets`` with ``reply.in_reply_to_tweet_id``).

        Never twice: a post has nowhere to hide a marker, so before sending, the account's latest
        posts (replies included) are searched for an answer to ``to`` with the same text (as
        :meth:`find_published` does for posts); a retry after an uncertain outcome finds it. X
        also refuses a post identical to a recent one (:class:`RejectedContent`).
        """
        if not to.isdigit():
            raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), to[:40]))
        if (already := self._find_reply(account, to, content.text)) is not None:
            return already
        body = {"text": content.text, "reply": {"in_reply_to_tweet_id": to}}
        created = self._api(account, "POST", "/2/tweets", json=body, sending=True)["data"]
        return RemotePost(remote_id=created["id"], url=self._url(account, created["id"]))

    def _find_reply(self, account: AccountData, to: str, text: str) -> RemotePost | None:
        user_id = account.remote_id or self._me(account)["id"]
        listing = self._api(
            account,
            "GET",
            f"/2/users/{user_id}/tweets",
            params={"max_results": 20, "tweet.fields": "created_at,referenced_tweets", "exclude": "retweets"},
        )
        wanted = fingerprint(LEADING_MENTIONS_RE.sub("", text))
        for tweet in listing.get("data") or []:
            references = tweet.get("referenced_tweets") or []
            answers = any(r.get("type") == "replied_to" and str(r.get("id")) == to for r in references)
            # X puts the ``@username`` of the one answered in front of a reply's text.
            shown = LEADING_MENTIONS_RE.sub("", str(tweet.get("text") or ""))
            if answers and fingerprint(shown) == wanted:
                return RemotePost(remote_id=tweet["id"], url=self._url(account, tweet["id"]))
        return None


#: Pages of mentions read back to the cursor at most (X keeps the latest 800).
MENTION_PAGES = 8
#: X's epoch in the ids (snowflakes): milliseconds since 2010-11-04.
TWEPOCH_MS = 1288834974657


def _snowflake(value: Any) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _snowflake_time(tweet_id: str) -> float:
    return ((int(tweet_id) >> 22) + TWEPOCH_MS) / 1000


def _parse_time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _unexpected() -> str:
    return _msg(_("%(network)s answered in an unexpected way: Terrain will try again later."))


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(body, dict):
        return ""
    if body.get("errors") and isinstance(body["errors"], list):
        first = body["errors"][0]
        return str(first.get("message") or first.get("detail") or body.get("detail") or "")
    return str(body.get("detail") or body.get("error_description") or body.get("title") or body.get("error") or "")


def _check(response: httpx.Response, *, writing: bool = False) -> Any:
    status = response.status_code
    if response.is_success:
        return response.json() if response.content else {}
    message = _message(response)
    if status == 429:
        reset = response.headers.get("x-rate-limit-reset", "")
        retry_after = max(0.0, int(reset) - time.time()) if reset.isdigit() else None
        raise TransientError(
            _msg(_("%(network)s asks to wait before publishing again.")),
            status=status,
            retry_after=retry_after,
        )
    if status >= 500:
        raise TransientError(_msg(_("Server error at %(network)s: %(reason)s"), message or status), status=status)
    if status == 401:
        raise AuthError(
            _msg(_("%(network)s refused the connection of the account: %(reason)s"), message),
            status=status,
        )
    if status == 403:
        if "duplicate" in message.lower():
            raise RejectedContent(
                _("X refused a post identical to a recent one (it may already be on the account)."), status=status
            )
        if "reply to" in message.lower():  # "You attempted to reply to a Tweet that is deleted or not visible..."
            raise RejectedContent(_msg(_("%(network)s refused this post: %(reason)s"), message), status=status)
        raise AuthError(
            _msg(_("%(network)s refused the connection of the account: %(reason)s"), message),
            status=status,
        )
    if writing and status in (400, 413, 422):
        raise RejectedContent(_msg(_("%(network)s refused this post: %(reason)s"), message), status=status)
    raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), message or status), status=status)


def _msg(template: str, reason: object = "") -> str:
    """A translated message naming the network (and what it said, when it said something)."""
    return template % {"network": "X", "reason": reason}
