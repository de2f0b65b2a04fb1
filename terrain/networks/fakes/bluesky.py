"""A local Bluesky PDS + AppView speaking XRPC, written from the AT Protocol reference.

Endpoints (https://docs.bsky.app/docs/api/): ``com.atproto.server.createSession`` /
``refreshSession``, ``com.atproto.repo.uploadBlob`` / ``createRecord`` / ``deleteRecord`` /
``listRecords``, ``app.bsky.feed.getPosts`` / ``getAuthorFeed`` / ``searchPosts``,
``app.bsky.actor.getProfile``, ``app.bsky.notification.listNotifications`` (newest first, a
``cursor`` towards older ones, the ``reasons`` filter).
Errors are XRPC's ``{"error": Name, "message": text}``: ``AuthenticationRequired`` (401, bad
password), ``ExpiredToken`` (400), ``InvalidToken`` (400), ``InvalidRequest`` (400, a record
that breaks its lexicon, e.g. more than 300 graphemes), ``BlobTooLarge`` (400),
``RateLimitExceeded`` (429 with ``ratelimit-*`` headers).

Tests drive it: ``add_account``, ``expire_token``, ``revoke_password``, ``like``,
``repost``, ``reply``, ``rate_limit_next``; for the inbox ``post_as`` (someone else posts,
replying or mentioning: the notifications follow) and ``add_notification`` (a raw one).
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grapheme

from terrain.networks.fakes.server import FakeServer, Request, Response, route

POST = "app.bsky.feed.post"
MAX_GRAPHEMES = 300
MAX_BLOB_BYTES = 1_000_000
ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as in TIDs


def xrpc_error(status: int, name: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json={"error": name, "message": message}, headers=headers or {})


@dataclass
class Account:
    did: str
    handle: str
    password: str
    display_name: str = ""
    followers: int = 0
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # rkey -> record
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # rkey -> likeCount...
    notifications: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    reader: bool = False  # made by ``post_as``: its posts were not sent by Terrain
    indexed: dict[str, str] = field(default_factory=dict)  # rkey -> indexedAt


class FakeBluesky(FakeServer):
    name = "bluesky"

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        """Back to the initial state (one account, no post, no fault): lets tests share a server."""
        with self.lock:
            self.faults.clear()
            self.requests.clear()
        self._pds_url = ""
        self.accounts: dict[str, Account] = {}  # did -> account
        self.access: dict[str, str] = {}  # access token -> did
        self.refresh: dict[str, str] = {}  # refresh token -> did
        self.expired: set[str] = set()
        self.blobs: dict[str, bytes] = {}
        self._clock = itertools.count(int(time.time() * 1_000_000))
        self._last_indexed = 0
        self.add_account("syndicat.bsky.social", "app-pass-word-1234", display_name="Syndicat", followers=42)

    # Test controls -----------------------------------------------------
    @property
    def pds_url(self) -> str:
        """Where accounts live: this server, unless a test moves them (``pds_url`` is then set)."""
        return self._pds_url or (self.base_url if self._httpd else "")

    @pds_url.setter
    def pds_url(self, value: str) -> None:
        self._pds_url = value

    def add_account(self, handle: str, password: str, *, display_name: str = "", followers: int = 0) -> Account:
        did = "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        account = Account(did=did, handle=handle, password=password, display_name=display_name, followers=followers)
        with self.lock:
            self.accounts[did] = account
        return account

    def account(self, handle: str) -> Account:
        return next(a for a in self.accounts.values() if a.handle == handle)

    def expire_token(self, token: str) -> None:
        """The access (or refresh) token has passed its expiry."""
        with self.lock:
            self.expired.add(token)

    def revoke_password(self, handle: str) -> None:
        """The member revoked the app password: sessions end and the password no longer works."""
        with self.lock:
            account = self.account(handle)
            account.password = secrets.token_hex(8)
            for table in (self.access, self.refresh):
                for token, did in list(table.items()):
                    if did == account.did:
                        del table[token]

    def rate_limit_next(self, *, reset_in: int = 60, path_contains: str = "") -> None:
        reset = str(int(time.time()) + reset_in)
        self.fail_next(
            429,
            path_contains=path_contains,
            json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            headers={"ratelimit-limit": "5000", "ratelimit-remaining": "0", "ratelimit-reset": reset},
        )

    def _indexed_now(self) -> str:
        """An ``indexedAt`` after every earlier one (milliseconds, as the AppView writes it)."""
        millis = max(int(time.time() * 1000), self._last_indexed + 1)
        self._last_indexed = millis
        return datetime.fromtimestamp(millis / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def post_as(self, handle: str, text: str, *, reply_to: str = "", mention: str = "") -> str:
        """``handle`` posts ``text`` (an account created on the fly), as a reply to the post
        ``reply_to`` and/or mentioning ``mention``; the notified accounts get their notification."""
        with self.lock:
            author = next((a for a in self.accounts.values() if a.handle == handle), None)
            if author is None:
                author = self.add_account(handle, secrets.token_hex(8), display_name=handle.split(".")[0].title())
                author.reader = True
            record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": self._indexed_now()}
            notify: list[tuple[Account, str]] = []
            if reply_to:
                owner, parent_rkey = self._locate(reply_to)
                parent = {"uri": reply_to, "cid": self._post_view(owner, parent_rkey)["cid"]}
                root = (owner.records[parent_rkey].get("reply") or {}).get("root") or parent
                record["reply"] = {"root": root, "parent": parent}
                notify.append((owner, "reply"))
            if mention:
                target = self.account(mention)
                start = len(text.encode())
                record["text"] = text = f"{text} @{mention}"
                record["facets"] = [{
                    "index": {"byteStart": start + 1, "byteEnd": len(text.encode())},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": target.did}],
                }]  # fmt: skip
                if all(target is not someone for someone, _ in notify):
                    notify.append((target, "mention"))
            rkey = self._tid()
            author.records[rkey] = record
            author.indexed[rkey] = record["createdAt"]
            view = self._post_view(author, rkey)
            for account, reason in notify:
                if account is not author:
                    account.notifications.append({
                        "uri": view["uri"], "cid": view["cid"], "author": view["author"], "reason": reason,
                        "record": record, "isRead": False, "indexedAt": self._indexed_now(), "labels": [],
                    })  # fmt: skip
            return view["uri"]

    def add_notification(self, handle: str, notification: Any) -> None:
        """A notification as given (a server that omits fields, or a malformed one)."""
        with self.lock:
            if isinstance(notification, dict):
                notification.setdefault("indexedAt", self._indexed_now())
            self.account(handle).notifications.append(notification)

    def _bump(self, uri: str, key: str, n: int) -> None:
        account, rkey = self._locate(uri)
        with self.lock:
            counts = account.counts.setdefault(rkey, {})
            counts[key] = counts.get(key, 0) + n

    def like(self, uri: str, n: int = 1) -> None:
        self._bump(uri, "likeCount", n)

    def repost(self, uri: str, n: int = 1) -> None:
        self._bump(uri, "repostCount", n)

    def reply(self, uri: str, n: int = 1) -> None:
        self._bump(uri, "replyCount", n)

    def posts(self, handle: str) -> list[dict[str, Any]]:
        return [r for r in self.account(handle).records.values() if r.get("$type") == POST]

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            posts = [
                {
                    "account": account.handle,
                    "text": record.get("text", ""),
                    "at": record.get("createdAt", ""),
                    "id": f"at://{account.did}/{POST}/{rkey}",
                    **account.counts.get(rkey, {}),
                }
                for account in self.accounts.values()
                if not account.reader
                for rkey, record in account.records.items()
                if record.get("$type") == POST
            ]
        return sorted(posts, key=lambda post: post["at"], reverse=True)

    # Helpers -----------------------------------------------------------
    def _tid(self) -> str:
        value = next(self._clock) << 10
        chars = []
        for _ in range(13):
            chars.append(ALPHABET[value & 31])
            value >>= 5
        return "".join(reversed(chars))

    def _locate(self, uri: str) -> tuple[Account, str]:
        did, _, rest = uri.removeprefix("at://").partition("/")
        return self.accounts[did], rest.rpartition("/")[2]

    def _session(self, account: Account) -> dict[str, Any]:
        access, refresh = "acc-" + secrets.token_hex(12), "ref-" + secrets.token_hex(12)
        self.access[access] = account.did
        self.refresh[refresh] = account.did
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": account.handle,
            "did": account.did,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": account.did,
                "alsoKnownAs": [f"at://{account.handle}"],
                "service": [
                    {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": self.pds_url}
                ],
            },
            "active": True,
        }

    def _authed(self, request: Request) -> Account | Response:
        token = request.bearer
        if not token:
            return xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        if token in self.expired:
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        did = self.access.get(token)
        if did is None:
            return xrpc_error(400, "InvalidToken", "Token could not be verified")
        return self.accounts[did]

    def _resolve(self, actor: str) -> Account | None:
        return self.accounts.get(actor) or next((a for a in self.accounts.values() if a.handle == actor), None)

    def _post_view(self, account: Account, rkey: str) -> dict[str, Any]:
        record = account.records[rkey]
        counts = account.counts.get(rkey, {})
        return {
            "uri": f"at://{account.did}/{POST}/{rkey}",
            "cid": "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:40],
            "author": {"did": account.did, "handle": account.handle, "displayName": account.display_name},
            "record": record,
            "replyCount": counts.get("replyCount", 0),
            "repostCount": counts.get("repostCount", 0),
            "likeCount": counts.get("likeCount", 0),
            "quoteCount": counts.get("quoteCount", 0),
            "indexedAt": account.indexed.get(rkey) or record.get("createdAt"),
        }

    # Server ------------------------------------------------------------
    @route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(self, request: Request) -> Response:
        body = request.json() or {}
        account = self._resolve(str(body.get("identifier", "")))
        if account is None or body.get("password") != account.password:
            return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
        return Response(json=self._session(account))

    @route("POST", r"/xrpc/com\.atproto\.server\.refreshSession")
    def refresh_session(self, request: Request) -> Response:
        token = request.bearer
        if token in self.expired:
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        did = self.refresh.pop(token, None)  # refresh tokens are single use
        if did is None:
            return xrpc_error(400, "InvalidToken", "Token has been revoked")
        return Response(json=self._session(self.accounts[did]))

    @route("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob")
    def upload_blob(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        if len(request.body) > MAX_BLOB_BYTES:
            return xrpc_error(400, "BlobTooLarge", "This file is too large")
        cid = "bafkrei" + hashlib.sha256(request.body).hexdigest()[:52]
        self.blobs[cid] = request.body
        mime = request.header("content-type", "application/octet-stream")
        return Response(
            json={"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(request.body)}}
        )

    @route("POST", r"/xrpc/com\.atproto\.repo\.createRecord")
    def create_record(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        body = request.json() or {}
        if body.get("repo") not in (account.did, account.handle):
            return xrpc_error(400, "InvalidRequest", "Input/repo must be the authenticated account")
        record = body.get("record") or {}
        if body.get("collection") == POST:
            problem = self._invalid_post(record)
            if problem:
                return xrpc_error(400, "InvalidRequest", f"Invalid app.bsky.feed.post record: {problem}")
        rkey = body.get("rkey") or self._tid()
        if rkey in account.records:
            return xrpc_error(400, "InvalidRequest", "Record already exists")
        account.records[rkey] = record
        uri = f"at://{account.did}/{body.get('collection')}/{rkey}"
        return Response(json={"uri": uri, "cid": self._post_view(account, rkey)["cid"], "validationStatus": "valid"})

    def _invalid_post(self, record: dict[str, Any]) -> str:
        text = record.get("text")
        if not isinstance(text, str):
            return 'Record must have the property "text"'
        if grapheme.length(text) > MAX_GRAPHEMES:
            return f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes"
        if not record.get("createdAt"):
            return 'Record must have the property "createdAt"'
        embed = record.get("embed") or {}
        if embed.get("$type") == "app.bsky.embed.images":
            images = embed.get("images") or []
            if len(images) > 4:
                return "Record/embed/images must not have more than 4 elements"
            for image in images:
                if "alt" not in image:
                    return 'Record/embed/images/0 must have the property "alt"'
                if image.get("image", {}).get("ref", {}).get("$link") not in self.blobs:
                    return "Could not find blob"
        for facet in record.get("facets") or []:
            index = facet.get("index") or {}
            if not (0 <= index.get("byteStart", -1) <= index.get("byteEnd", -1) <= len(text.encode())):
                return "Record/facets/index is out of range"
        return ""

    @route("POST", r"/xrpc/com\.atproto\.repo\.deleteRecord")
    def delete_record(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        body = request.json() or {}
        account.records.pop(str(body.get("rkey")), None)  # deleting a missing record succeeds
        return Response(json={})

    @route("GET", r"/xrpc/com\.atproto\.repo\.listRecords")
    def list_records(self, request: Request) -> Response:
        account = self._resolve(request.arg("repo"))
        if account is None:
            return xrpc_error(400, "InvalidRequest", "Could not find repo")
        collection = request.arg("collection")
        limit = min(int(request.arg("limit", "50")), 100)
        rkeys = sorted(account.records, reverse=True)[:limit]  # newest first, like the PDS
        records = [
            {"uri": f"at://{account.did}/{collection}/{rkey}", "cid": "bafyrei" + rkey, "value": account.records[rkey]}
            for rkey in rkeys
            if account.records[rkey].get("$type") == collection
        ]
        return Response(json={"records": records})

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPosts")
    def get_posts(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        views = []
        for uri in request.query.get("uris", []):
            owner, rkey = self._locate(uri)
            if rkey in owner.records:
                views.append(self._post_view(owner, rkey))
        return Response(json={"posts": views})

    @route("GET", r"/xrpc/app\.bsky\.feed\.getAuthorFeed")
    def get_author_feed(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        author = self._resolve(request.arg("actor"))
        if author is None:
            return xrpc_error(400, "InvalidRequest", "Profile not found")
        limit = min(int(request.arg("limit", "50")), 100)
        rkeys = [k for k in sorted(author.records, reverse=True) if author.records[k].get("$type") == POST]
        return Response(json={"feed": [{"post": self._post_view(author, k)} for k in rkeys[:limit]]})

    @route("GET", r"/xrpc/app\.bsky\.actor\.getProfile")
    def get_profile(self, request: Request) -> Response:
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        actor = self._resolve(request.arg("actor"))
        if actor is None:
            return xrpc_error(400, "InvalidRequest", "Profile not found")
        return Response(
            json={
                "did": actor.did,
                "handle": actor.handle,
                "displayName": actor.display_name,
                "followersCount": actor.followers,
                "followsCount": 0,
                "postsCount": len(self.posts(actor.handle)),
                "createdAt": datetime.now(UTC).isoformat(),
            }
        )

    @route("GET", r"/xrpc/app\.bsky\.notification\.listNotifications")
    def list_notifications(self, request: Request) -> Response:
        """Newest first; ``cursor`` (the last ``indexedAt`` given) leads to older ones."""
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        try:
            limit = int(request.arg("limit", "50"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return xrpc_error(400, "InvalidRequest", "limit must be between 1 and 100")
        reasons = set(request.query.get("reasons", []))
        before = request.arg("cursor")
        found = [
            n
            for n in reversed(account.notifications)
            if not isinstance(n, dict)
            or ((not reasons or n.get("reason") in reasons) and (not before or str(n.get("indexedAt")) < before))
        ]
        page = found[:limit]
        body: dict[str, Any] = {"notifications": page, "seenAt": self._indexed_now()}
        if len(found) > limit:
            body["cursor"] = str(page[-1].get("indexedAt"))
        return Response(json=body)

    @route("GET", r"/xrpc/app\.bsky\.feed\.searchPosts")
    def search_posts(self, request: Request) -> Response:
        """Posts whose text contains ``q`` (any case), latest first; ``since`` (inclusive),
        ``cursor`` (an offset, as the AppView's), ``limit`` 1 to 100 (25 by default)."""
        account = self._authed(request)
        if isinstance(account, Response):
            return account
        query = request.arg("q").casefold()
        if not query:
            return xrpc_error(400, "InvalidRequest", 'Params must have the property "q"')
        limit = min(max(int(request.arg("limit", "25")), 1), 100)
        offset = int(request.arg("cursor", "0") or 0)
        since = request.arg("since")
        views = [
            self._post_view(author, rkey)
            for author in self.accounts.values()
            for rkey, record in author.records.items()
            if record.get("$type") == POST and query in str(record.get("text", "")).casefold()
        ]
        views = [v for v in views if not since or str(v["indexedAt"]) >= since]
        views.sort(key=lambda view: str(view["indexedAt"]), reverse=True)
        page = views[offset : offset + limit]
        body: dict[str, Any] = {"posts": page, "hitsTotal": len(views)}
        if offset + limit < len(views):
            body["cursor"] = str(offset + limit)
        return Response(json=body)
