"""Bluesky (AT Protocol) over XRPC with httpx, signed in with a handle and an app password.

Connecting an account (no redirect): the connect screen asks for the handle and an
app password (Settings → Privacy and security → App passwords), then calls
``validate_credentials(AccountData(api_base, secrets={"identifier": handle,
"app_password": password}))``. It opens a session (``createSession``), stores the
session tokens in ``account.secrets`` (``secrets_changed`` is set: save them) and
returns the :class:`AccountInfo`. Later calls reuse the session: an ``ExpiredToken``
answer refreshes it (``refreshSession``), or signs in again with the app password,
then the call is retried once; a refused password is an :class:`AuthError`.
(Signing in is itself limited to 30 per 5 minutes, so sessions are kept.)

No duplicate post: each post record carries the marker in an extra field,
``terrainMarker`` (the AT Protocol keeps fields a lexicon does not name; apps do
not show them), and ``find_published`` looks for it among the account's latest
records (``com.atproto.repo.listRecords``, read from the account's own server, so
there is no indexing delay).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

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
from terrain.networks.bluesky.images import fit
from terrain.networks.counting import count_graphemes
from terrain.networks.sharing import ShareLink, ShareText

POST = "app.bsky.feed.post"
MARKER_FIELD = "terrainMarker"
WEB = "https://bsky.app"
URL_RE = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]'’»]")
TAG_RE = re.compile(r"(?<![\w#])#([^\d\s#][^\s#.,;:!?)\]'’»]*)")
SESSION_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired"}
ACCOUNT_ERRORS = {"AccountTakedown", "AccountDeactivated", "AccountSuspended"}


def count_characters(text: str) -> int:
    return count_graphemes(text)


class BlueskyShare(ShareLink):
    budget = 200  # room for the member's line and the link within 300

    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://bsky.app/intent/compose?text={quote(self.text(share))}"


def with_link(text: str, link: str) -> str:
    if not link or link in text:
        return text
    return f"{text.rstrip()}\n\n{link}"


def facets(text: str) -> list[dict[str, Any]]:
    """Link and hashtag facets: Bluesky shows plain text unless byte ranges say what is a link."""

    def span(match: re.Match[str]) -> dict[str, int]:
        return {
            "byteStart": len(text[: match.start()].encode()),
            "byteEnd": len(text[: match.end()].encode()),
        }

    found = [
        {"index": span(m), "features": [{"$type": "app.bsky.richtext.facet#link", "uri": m.group(0)}]}
        for m in URL_RE.finditer(text)
    ]
    links = [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in found]
    for m in TAG_RE.finditer(text):
        index = span(m)
        if any(start <= index["byteStart"] < end for start, end in links):
            continue  # a #fragment inside a URL
        found.append({"index": index, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": m.group(1)}]})
    return sorted(found, key=lambda f: f["index"]["byteStart"])


class BlueskyConnector(Connector):
    kind = "bluesky"
    label = "Bluesky"
    position = 20
    link_in_text = True
    share = BlueskyShare()
    max_chars = 300  # graphemes
    max_media = 4
    default_api_base = "https://bsky.social"
    auth_flow = "app_password"
    # docs.bsky.app/docs/advanced-guides/rate-limits: 5,000 write points per hour per account,
    # a record creation costs 3 points.
    rate_limit = RateLimit(calls=1666, seconds=3600)

    def count_characters(self, text: str) -> int:
        return count_characters(text)

    def sent_text(self, text: str, link: str, *, with_media: bool = False) -> str:
        combined = super().sent_text(text, link, with_media=with_media)
        if not with_media and combined != text and self.max_chars and count_characters(combined) > self.max_chars:
            return text  # Bluesky counts a link's every character: it then rides in the link card only
        return combined

    # Session -----------------------------------------------------------
    def _xrpc(
        self,
        account: AccountData,
        method: str,
        nsid: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        content_type: str = "",
        sending: bool = False,
    ) -> dict[str, Any]:
        """Call ``nsid`` in the account's session, renewing it once if it expired."""
        if not account.secrets.get("access_jwt"):
            self._sign_in(account)
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {account.secrets['access_jwt']}"}
            if content_type:
                headers["Content-Type"] = content_type
            response = self._send(
                method, f"{self._base(account)}/xrpc/{nsid}", sending=sending,
                params=params, json=json, content=content, headers=headers,
            )  # fmt: skip
            if attempt == 0 and _error_name(response) in SESSION_ERRORS and response.status_code in (400, 401):
                self._renew(account)
                continue
            return _check(response, writing=sending or nsid.endswith("uploadBlob"))
        raise AssertionError("unreachable")

    def _send(self, method: str, url: str, *, sending: bool = False, **kwargs: Any) -> httpx.Response:
        try:
            return httpx.request(method, url, timeout=self.timeout, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise TransientError(unreachable("Bluesky", error)) from error
        except httpx.TransportError as error:  # read timeout, connection dropped mid-answer
            if sending:
                raise UncertainOutcome(no_answer("Bluesky", error, sending=True)) from error
            raise TransientError(no_answer("Bluesky", error, sending=False)) from error

    def _store_session(self, account: AccountData, session: dict[str, Any]) -> None:
        account.secrets.update(
            access_jwt=session["accessJwt"],
            refresh_jwt=session["refreshJwt"],
            did=session["did"],
            handle=session.get("handle", ""),
        )
        if pds := _pds_endpoint(session.get("didDoc") or {}):
            account.secrets["pds"] = pds
        account.secrets_changed = True

    def _base(self, account: AccountData) -> str:
        """The account's own server (its PDS, named in the session's DID document), else the sign-in host."""
        return str(account.secrets.get("pds") or self.api_base(account)).rstrip("/")

    def _sign_in(self, account: AccountData) -> None:
        identifier = account.secrets.get("identifier") or account.handle
        password = account.secrets.get("app_password")
        if not identifier or not password:
            raise AuthError(_msg(_("No credentials are stored for this %(network)s account: reconnect it.")))
        response = self._send(
            "POST",
            f"{self.api_base(account)}/xrpc/com.atproto.server.createSession",
            json={"identifier": identifier.lstrip("@"), "password": password},
        )
        if response.status_code == 401 or _error_name(response) in SESSION_ERRORS | ACCOUNT_ERRORS:
            raise AuthError(
                _("Bluesky refused the handle or the app password: %(reason)s") % {"reason": _message(response)},
                status=401,
            )
        self._store_session(account, _check(response))

    def _renew(self, account: AccountData) -> None:
        """Refresh the session; if the refresh token is spent too, sign in again with the app password."""
        refresh = account.secrets.get("refresh_jwt")
        if refresh:
            response = self._send(
                "POST",
                f"{self._base(account)}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh}"},
            )
            if response.is_success:
                self._store_session(account, response.json())
                return
            if _error_name(response) not in SESSION_ERRORS:
                _check(response)
        self._sign_in(account)

    # Account -----------------------------------------------------------
    def validate_credentials(self, account: AccountData) -> AccountInfo:
        """Sign in if needed (storing the session in ``account.secrets``) and read the profile."""
        if not account.secrets.get("access_jwt"):
            self._sign_in(account)
        profile = self._xrpc(account, "GET", "app.bsky.actor.getProfile", params={"actor": account.secrets["did"]})
        return AccountInfo(
            remote_id=profile["did"],
            handle=f"@{profile['handle']}",
            display_name=profile.get("displayName") or profile["handle"],
            followers=int(profile.get("followersCount") or 0),
            url=f"{WEB}/profile/{profile['handle']}",
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return self.validate_credentials(account).followers

    # Posts -------------------------------------------------------------
    def publish(self, account: AccountData, content: Content) -> RemotePost:
        text = with_link(content.text, content.link)
        if not content.media and count_characters(text) > self.max_chars:
            # Bluesky counts a link's every character: the link card below carries it instead.
            text = content.text
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "langs": [settings.LANGUAGE_CODE[:2]],
        }
        if found := facets(text):
            record["facets"] = found
        images = []
        for original in content.media[: self.max_media]:
            media, ratio = fit(original)
            blob = self._xrpc(
                account, "POST", "com.atproto.repo.uploadBlob", content=media.data, content_type=media.mime_type
            )["blob"]
            images.append({"alt": media.alt, "image": blob, **({"aspectRatio": ratio} if ratio else {})})
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        elif content.link:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": content.link, "title": content.title or content.link, "description": ""},
            }
        if content.marker:
            record[MARKER_FIELD] = content.marker
        if not account.secrets.get("did"):
            self._sign_in(account)
        created = self._xrpc(
            account,
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": account.secrets["did"], "collection": POST, "record": record},
            sending=True,
        )
        return self._remote(account, created["uri"])

    def _remote(self, account: AccountData, uri: str) -> RemotePost:
        handle = account.secrets.get("handle") or account.secrets.get("did")
        return RemotePost(remote_id=uri, url=f"{WEB}/profile/{handle}/post/{uri.rpartition('/')[2]}")

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        if not content.marker:
            return None
        return self._find_marker(account, content.marker)

    def _find_marker(self, account: AccountData, marker: str) -> RemotePost | None:
        """The account's latest post (or reply) carrying ``marker``, read from its own server."""
        listing = self._xrpc(
            account,
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": self._did(account), "collection": POST, "limit": 50},
        )
        for item in listing.get("records", []):
            if isinstance(item, dict) and (item.get("value") or {}).get(MARKER_FIELD) == marker:
                return self._remote(account, item["uri"])
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        repo, _, rest = remote_id.removeprefix("at://").partition("/")
        collection, _, rkey = rest.partition("/")
        self._xrpc(
            account,
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": repo, "collection": collection, "rkey": rkey},
        )

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        posts = self._xrpc(account, "GET", "app.bsky.feed.getPosts", params={"uris": [remote_id]}).get("posts", [])
        if not posts:
            raise PermanentError(_msg(_("This post no longer exists on %(network)s.")), status=404)
        post = posts[0]
        return Metrics(
            likes=int(post.get("likeCount") or 0),
            reposts=int(post.get("repostCount") or 0),
            replies=int(post.get("replyCount") or 0),
            extra={"quotes": int(post.get("quoteCount") or 0)},
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("notifications",)
    can_search = True
    # docs.bsky.app/docs/advanced-guides/rate-limits: 3,000 requests per 5 minutes (per IP, on the PDS).
    read_limit = RateLimit(calls=3000, seconds=5 * 60)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """Replies, mentions and quotes of the account since ``cursor``, oldest first.

        ``app.bsky.notification.listNotifications`` has no "since": it gives the newest first and
        a ``cursor`` towards older ones. So the pages are walked back until the mark of the last
        reading (the newest ``indexedAt`` seen, with the notifications seen at that instant), at
        most :data:`WALK_PAGES` pages, and everything new comes in one page. The first reading
        takes the newest page only (no walk through the account's whole past).
        """
        if stream != "notifications":
            raise PermanentError(_msg(_("%(network)s has no such stream: %(reason)s"), stream))
        did = self._did(account)
        fresh, mark = self._walk(account, "app.bsky.notification.listNotifications", "notifications", cursor, params={})
        items = []
        for notification in fresh:
            if notification.get("reason") not in INBOX_REASONS:
                continue  # likes, reposts, follows: not something to answer
            item = _inbound_post(notification, did=did)
            if item is not None:
                items.append(item)
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=mark)

    def search_public(self, account: AccountData, query: str, cursor: str) -> InboundPage:
        """Public posts matching ``query`` since ``cursor`` (``app.bsky.feed.searchPosts``, latest
        first, walked back to the mark like :meth:`fetch_inbound`, with ``since`` to help)."""
        did = self._did(account)
        params: dict[str, Any] = {"q": query.strip(), "sort": "latest"}
        fresh, mark = self._walk(account, "app.bsky.feed.searchPosts", "posts", cursor, params=params)
        items = [item for post in fresh if (item := _inbound_post(post, did=did, kind="watch")) is not None]
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=mark)

    def _did(self, account: AccountData) -> str:
        if not account.secrets.get("did"):
            self._sign_in(account)
        return str(account.secrets["did"])

    def _walk(
        self, account: AccountData, nsid: str, key: str, cursor: str, *, params: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], str]:
        """The entries of a newest-first listing that are newer than the mark ``cursor``, and the new mark.

        A mark is ``"<indexedAt> <uri> <uri>..."``: the newest instant seen and what was seen at
        that instant (two notifications may share it). Entries without a readable ``uri`` or
        ``indexedAt`` are skipped, not fatal.
        """
        since, seen = _parse_mark(cursor)
        query = dict(params, limit=WALK_LIMIT)
        if since is not None and "q" in params:
            query["since"] = _iso(since)
        fresh: list[dict[str, Any]] = []
        for _page in range(WALK_PAGES if since is not None else 1):
            answer = self._xrpc(account, "GET", nsid, params=query)
            entries = answer.get(key) if isinstance(answer, dict) else None
            if not isinstance(entries, list):
                raise TransientError(_unexpected())
            reached = False
            for entry in entries:
                at = _entry_time(entry)
                if at is None:
                    continue
                if since is not None and (at < since or (at == since and entry["uri"] in seen)):
                    reached = True
                    break
                fresh.append(entry)
            following = answer.get("cursor")
            if reached or not entries or not following or not isinstance(following, str):
                break
            query["cursor"] = following
        if not fresh:
            return [], cursor
        newest = max(_entry_time(entry) for entry in fresh)  # type: ignore[type-var]
        at_newest = [entry["uri"] for entry in fresh if _entry_time(entry) == newest]
        if newest == since:
            at_newest += sorted(seen)
        return fresh, " ".join([_iso(newest), *at_newest])

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the post ``to`` (a JSON ``{"root": {uri, cid}, "parent": {uri, cid}}``, the reply
        reference of ``app.bsky.feed.post``) with a post carrying the marker (``terrainMarker``).

        Never twice: before creating, the account's latest records are searched for the marker (as
        :meth:`find_published` does), so that a retry after an uncertain outcome finds the answer
        already there instead of sending a second one.
        """
        try:
            refs = json.loads(to)
            reference = {
                part: {"uri": str(refs[part]["uri"]), "cid": str(refs[part]["cid"])} for part in ("root", "parent")
            }
        except (ValueError, TypeError, KeyError):
            raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), "reply reference")) from None
        if content.marker and (already := self._find_marker(account, content.marker)) is not None:
            return already
        text = content.text
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": _iso(datetime.now(UTC)),
            "langs": [settings.LANGUAGE_CODE[:2]],
            "reply": reference,
        }
        if found := facets(text):
            record["facets"] = found
        if content.marker:
            record[MARKER_FIELD] = content.marker
        created = self._xrpc(
            account,
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": self._did(account), "collection": POST, "record": record},
            sending=True,
        )
        return self._remote(account, created["uri"])


#: Notifications that ask for an answer (likes, reposts and follows do not).
INBOX_REASONS = ("reply", "mention", "quote")
WALK_LIMIT = 100  # the largest page of listNotifications and searchPosts
#: Pages walked back to the last mark at most (10,000 notifications between two readings).
WALK_PAGES = 100


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entry_time(entry: Any) -> datetime | None:
    """When the network indexed a notification or a post (None for an entry too malformed to keep)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("uri"), str) or not entry["uri"]:
        return None
    return _parse_time(entry.get("indexedAt"))


def _parse_mark(cursor: str) -> tuple[datetime | None, set[str]]:
    at, *seen = cursor.split() or [""]
    return (_parse_time(at) if at else None), set(seen)


def _inbound_post(entry: dict[str, Any], *, did: str, kind: str = "") -> InboundItem | None:
    """An inbox item from a notification or a post view (the same shape); None when it is unusable.

    A server may omit the optional fields (``displayName``, ``cid``, ``reply``): the item is kept,
    without a way to answer when the ``cid`` is missing.
    """
    at = _entry_time(entry)
    record = entry.get("record")
    if at is None or not isinstance(record, dict):
        return None
    author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
    handle = str(author.get("handle") or "")
    uri, cid = entry["uri"], str(entry.get("cid") or "")
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    parent = reply.get("parent") if isinstance(reply.get("parent"), dict) else {}
    root = reply.get("root") if isinstance(reply.get("root"), dict) else {}
    parent_uri = str(parent.get("uri") or "")
    ours = bool(did) and parent_uri.startswith(f"at://{did}/")
    reply_to = ""
    if cid:
        here = {"uri": uri, "cid": cid}
        top = {"uri": str(root["uri"]), "cid": str(root["cid"])} if root.get("uri") and root.get("cid") else here
        reply_to = json.dumps({"root": top, "parent": here}, separators=(",", ":"))
    rkey = uri.rpartition("/")[2]
    return InboundItem(
        remote_id=uri,
        kind=kind or ("reply" if ours else "mention"),
        text=str(record.get("text") or ""),
        # The author writes ``createdAt``; a date in the future must not pin the thread on top.
        created_at=min(_parse_time(record.get("createdAt")) or at, at),
        author_handle=f"@{handle}" if handle else "",
        author_name=str(author.get("displayName") or handle),
        author_url=f"{WEB}/profile/{handle or author.get('did') or ''}",
        url=f"{WEB}/profile/{handle or author.get('did') or ''}/post/{rkey}",
        parent=parent_uri,
        reply_to=reply_to,
        parent_is_ours=ours,
    )


def _pds_endpoint(did_doc: dict[str, Any]) -> str:
    for service in did_doc.get("service") or []:
        if service.get("id") in ("#atproto_pds", f"{did_doc.get('id')}#atproto_pds"):
            endpoint = str(service.get("serviceEndpoint") or "")
            if endpoint.startswith(("https://", "http://127.0.0.1", "http://localhost")):
                return endpoint
    return ""


def _error_name(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or "")
    return ""


def _retry_after(response: httpx.Response) -> float | None:
    reset = response.headers.get("ratelimit-reset", "")
    if reset.isdigit():
        return max(0.0, int(reset) - datetime.now(UTC).timestamp())
    after = response.headers.get("retry-after", "")
    return float(after) if after.isdigit() else None


def _check(response: httpx.Response, *, writing: bool = False) -> dict[str, Any]:
    status = response.status_code
    if response.is_success:
        return response.json() if response.content else {}
    name, message = _error_name(response), _message(response)
    if status == 429:
        raise TransientError(
            _msg(_("%(network)s asks to wait before publishing again.")),
            status=status,
            retry_after=_retry_after(response),
        )
    if status >= 500:
        raise TransientError(
            _msg(_("Server error at %(network)s: %(reason)s"), message or status),
            status=status,
        )
    if status in (401, 403) or name in SESSION_ERRORS | ACCOUNT_ERRORS:
        raise AuthError(
            _msg(_("%(network)s refused the connection of the account: %(reason)s"), message),
            status=status,
        )
    if writing and (status in (400, 413) or name in ("InvalidRequest", "BlobTooLarge")):
        raise RejectedContent(_msg(_("%(network)s refused this post: %(reason)s"), message), status=status)
    raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), message or status), status=status)


def _unexpected() -> str:
    return _msg(_("%(network)s answered in an unexpected way: Terrain will try again later."))


def _msg(template: str, reason: object = "") -> str:
    """A translated message naming the network (and what it said, when it said something)."""
    return template % {"network": "Bluesky", "reason": reason}
