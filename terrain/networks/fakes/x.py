"""A local X API v2, written from https://docs.x.com/x-api.

OAuth 2.0 with PKCE: ``GET /i/oauth2/authorize`` (the consent page: here it consents at
once for ``self.consenting_user`` and redirects with ``code`` and ``state``),
``POST /2/oauth2/token`` (authorization_code with ``code_verifier`` checked against the
S256 challenge; refresh_token with rotation: a refresh token works once). API:
``GET /2/users/me``, ``POST /2/tweets``, ``DELETE /2/tweets/:id``, ``GET /2/tweets?ids=``,
``GET /2/users/:id/tweets`` (``exclude``), ``GET /2/users/:id/mentions`` (newest first, ``since_id``,
``until_id``, ``pagination_token``, ``expansions=author_id``), ``POST /2/media/upload``,
``POST /2/media/metadata``. A reply (``reply.in_reply_to_tweet_id``) is shown, as X does, with the
``@username`` of the one it answers in front of its text.

Errors as X sends them: problem JSON ``{"title", "detail", "type", "status"}`` (401
Unauthorized, 403 duplicate content, 429 with ``x-rate-limit-*`` headers), ``{"errors": [...],
"title": "Invalid Request"}`` for invalid parameters, and OAuth's ``{"error",
"error_description"}`` on the token endpoint. Links in a post are stored as t.co links.

Tests drive it: ``expire_token``, ``revoke`` (the member removed the app), ``like``,
``retweet``, ``reply``, ``rate_limit_next``; for the inbox ``post_as`` (someone else posts,
mentioning or answering), ``add_raw_mention`` (a malformed one) and ``omit_includes``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from terrain.networks.fakes.server import FakeServer, Request, Response, route

CLIENT_ID = "terrain-client-id"
CLIENT_SECRET = "terrain-client-secret"  # noqa: S105 (the fake's own)
URL_RE = re.compile(r"https?://\S+")
MAX_WEIGHTED = 280


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any) -> Response:
    return Response(status, json={"title": title, "detail": detail, "type": kind, "status": status, **extra})


def unauthorized() -> Response:
    return problem(401, "Unauthorized", "Unauthorized")


def weighted_length(text: str) -> int:
    """twitter-text v3, roughly: URLs 23, Latin and punctuation 1, the rest 2."""
    text = URL_RE.sub("x" * 23, text)
    total = 0
    for char in text:
        code = ord(char)
        light = code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247
        total += 1 if light else 2
    return total


@dataclass
class User:
    id: str
    username: str
    name: str
    followers: int
    tweets: dict[str, dict[str, Any]] = field(default_factory=dict)
    reader: bool = False  # made by ``post_as``: its posts were not sent by Terrain


class FakeX(FakeServer):
    name = "x"

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        """Back to the initial state: one user, no token, no post (lets tests share a server)."""
        with self.lock:
            self.faults.clear()
            self.requests.clear()
            self.users = {"1500000000000000001": User("1500000000000000001", "syndicat", "Syndicat", followers=1234)}
            self.consenting_user = "1500000000000000001"
            self.codes: dict[str, dict[str, str]] = {}
            self.access: dict[str, tuple[str, float]] = {}  # token -> (user id, expires at)
            self.refresh: dict[str, str] = {}  # token -> user id
            self.media: dict[str, dict[str, Any]] = {}
            self._ids = itertools.count(1800000000000000000)
            self.raw_mentions: dict[str, list[dict[str, Any]]] = {}  # user id -> entries as given
            self.omit_includes = False  # a server (or a proxy) that drops ``includes``

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            posts = [
                {
                    "account": user.username,
                    "text": tweet["source_text"],
                    "at": tweet["created_at"],
                    "id": tweet["id"],
                    "likeCount": tweet["public_metrics"]["like_count"],
                    "repostCount": tweet["public_metrics"]["retweet_count"],
                }
                for user in self.users.values()
                if not user.reader
                for tweet in user.tweets.values()
            ]
        return sorted(posts, key=lambda post: post["at"], reverse=True)

    # Test controls -----------------------------------------------------
    def issue_tokens(self, user_id: str | None = None, *, expires_in: int = 7200) -> dict[str, Any]:
        """Tokens as if the member had just consented (skips the browser part)."""
        with self.lock:
            return self._tokens(user_id or self.consenting_user, "tweet.read tweet.write users.read", expires_in)

    def expire_token(self, token: str) -> None:
        with self.lock:
            user_id, _ = self.access[token]
            self.access[token] = (user_id, time.time() - 1)

    def revoke(self, user_id: str | None = None) -> None:
        """The member removed the app from their account: every token stops working."""
        user_id = user_id or self.consenting_user
        with self.lock:
            for table in (self.access, self.refresh):
                for token, value in list(table.items()):
                    if (value[0] if isinstance(value, tuple) else value) == user_id:
                        del table[token]

    def rate_limit_next(self, *, reset_in: int = 900, path_contains: str = "") -> None:
        self.fail_next(
            429,
            path_contains=path_contains,
            json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
            headers={
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + reset_in),
            },
        )

    def _bump(self, tweet_id: str, key: str, n: int) -> None:
        with self.lock:
            tweet = self._tweet(tweet_id)
            tweet["public_metrics"][key] += n

    def like(self, tweet_id: str, n: int = 1) -> None:
        self._bump(tweet_id, "like_count", n)

    def retweet(self, tweet_id: str, n: int = 1) -> None:
        self._bump(tweet_id, "retweet_count", n)

    def reply(self, tweet_id: str, n: int = 1) -> None:
        self._bump(tweet_id, "reply_count", n)

    def post_as(self, username: str, text: str, *, reply_to: str = "") -> str:
        """``username`` (created on the fly) posts ``text``, answering the post ``reply_to`` if given."""
        with self.lock:
            user = next((u for u in self.users.values() if u.username == username), None)
            if user is None:
                user_id = str(1600000000000000000 + len(self.users))
                user = self.users[user_id] = User(user_id, username, username.title(), followers=0, reader=True)
            return self._store(user, text, reply_to=reply_to)

    def add_raw_mention(self, entry: Any, user_id: str | None = None) -> None:
        with self.lock:
            self.raw_mentions.setdefault(user_id or self.consenting_user, []).append(entry)

    def tweets(self, user_id: str | None = None) -> list[dict[str, Any]]:
        return list(self.users[user_id or self.consenting_user].tweets.values())

    # Helpers -----------------------------------------------------------
    def _tokens(self, user_id: str, scope: str, expires_in: int = 7200) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.access[access] = (user_id, time.time() + expires_in)
        self.refresh[refresh] = user_id
        return {
            "token_type": "bearer",
            "expires_in": expires_in,
            "access_token": access,
            "scope": scope,
            "refresh_token": refresh,
        }

    def _user(self, request: Request) -> User | None:
        entry = self.access.get(request.bearer)
        if entry is None or entry[1] < time.time():
            return None
        return self.users[entry[0]]

    def _tweet(self, tweet_id: str) -> dict[str, Any]:
        return next(u.tweets[tweet_id] for u in self.users.values() if tweet_id in u.tweets)

    def _client_ok(self, request: Request, form: dict[str, Any]) -> bool:
        auth = request.header("authorization")
        if auth.lower().startswith("basic "):
            return base64.b64decode(auth[6:]).decode() == f"{CLIENT_ID}:{CLIENT_SECRET}"
        return form.get("client_id") == CLIENT_ID

    @staticmethod
    def _oauth_error(description: str, error: str = "invalid_request") -> Response:
        return Response(400, json={"error": error, "error_description": description})

    # OAuth -------------------------------------------------------------
    @route("GET", r"/i/oauth2/authorize")
    def authorize(self, request: Request) -> Response:
        if request.arg("client_id") != CLIENT_ID or request.arg("response_type") != "code":
            return Response(400, body=b"Something went wrong: invalid client or response type")
        if request.arg("code_challenge_method") != "S256" or not request.arg("code_challenge"):
            return Response(400, body=b"Something went wrong: PKCE S256 challenge required")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "user": self.consenting_user,
            "challenge": request.arg("code_challenge"),
            "redirect_uri": request.arg("redirect_uri"),
            "scope": request.arg("scope"),
        }
        query = urlencode({"state": request.arg("state"), "code": code})
        return Response(302, headers={"Location": f"{request.arg('redirect_uri')}?{query}"})

    @route("POST", r"/2/oauth2/token")
    def token(self, request: Request) -> Response:
        form = request.form()
        if not self._client_ok(request, form):
            return Response(
                401, json={"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
            )
        grant = form.get("grant_type")
        if grant == "authorization_code":
            pending = self.codes.pop(str(form.get("code")), None)
            if pending is None or pending["redirect_uri"] != form.get("redirect_uri"):
                return self._oauth_error("Value passed for the authorization code was invalid.")
            digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != pending["challenge"]:
                return self._oauth_error("Value passed for the code verifier did not match the challenge.")
            return Response(json=self._tokens(pending["user"], pending["scope"]))
        if grant == "refresh_token":
            user_id = self.refresh.pop(str(form.get("refresh_token")), None)  # rotation: single use
            if user_id is None:
                return self._oauth_error("Value passed for the token was invalid.")
            return Response(json=self._tokens(user_id, "tweet.read tweet.write users.read offline.access"))
        return self._oauth_error("Unsupported grant type", "unsupported_grant_type")

    # API ---------------------------------------------------------------
    @route("GET", r"/2/users/me")
    def me(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return unauthorized()
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        if "public_metrics" in request.arg("user.fields"):
            data["public_metrics"] = {
                "followers_count": user.followers,
                "following_count": 10,
                "tweet_count": len(user.tweets),
                "listed_count": 0,
            }
        return Response(json={"data": data})

    @route("POST", r"/2/media/upload")
    def media_upload(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return unauthorized()
        form = request.form()
        data = form.get("media")
        if not isinstance(data, bytes) or not data:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                           "https://api.twitter.com/2/problems/invalid-request")  # fmt: skip
        media_id = str(next(self._ids))
        self.media[media_id] = {"owner": user.id, "size": len(data), "alt_text": None, "data": data}
        return Response(
            json={
                "data": {"id": media_id, "media_key": f"3_{media_id}", "size": len(data), "expires_after_secs": 86400}
            }
        )

    @route("POST", r"/2/media/metadata")
    def media_metadata(self, request: Request) -> Response:
        if self._user(request) is None:
            return unauthorized()
        body = request.json() or {}
        media = self.media.get(str(body.get("id")))
        if media is None:
            return problem(
                400, "Invalid Request", "Media not found", "https://api.twitter.com/2/problems/invalid-request"
            )
        alt = (body.get("metadata") or {}).get("alt_text") or {}
        if len(alt.get("text", "")) > 1000:
            return problem(400, "Invalid Request", "alt_text.text is longer than 1000 characters",
                           "https://api.twitter.com/2/problems/invalid-request")  # fmt: skip
        media["alt_text"] = alt.get("text")
        return Response(json={"data": {"id": str(body["id"]), "associated_metadata": {"alt_text": alt}}})

    @route("POST", r"/2/tweets")
    def create_tweet(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return unauthorized()
        body = request.json() or {}
        text = str(body.get("text") or "")
        media_ids = (body.get("media") or {}).get("media_ids") or []
        if weighted_length(text) > MAX_WEIGHTED:
            return Response(400, json={
                "errors": [{"parameters": {"text": [text]}, "message": "Text is too long"}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            })  # fmt: skip
        if any(t["source_text"] == text for t in user.tweets.values()):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        if any(m not in self.media or self.media[m]["owner"] != user.id for m in media_ids):
            return problem(400, "Invalid Request", "Your media IDs are invalid.",
                           "https://api.twitter.com/2/problems/invalid-request")  # fmt: skip
        reply_to = str((body.get("reply") or {}).get("in_reply_to_tweet_id") or "")
        if reply_to and not any(reply_to in u.tweets for u in self.users.values()):
            return problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you.")
        tweet_id = self._store(user, text, reply_to=reply_to, media_ids=media_ids)
        shown = user.tweets[tweet_id]["text"]
        return Response(201, json={"data": {"id": tweet_id, "text": shown, "edit_history_tweet_ids": [tweet_id]}})

    def _store(self, user: User, text: str, *, reply_to: str = "", media_ids: list[str] | None = None) -> str:
        tweet_id = str(next(self._ids))
        # X shows links as t.co links and escapes &, < and > in the text it returns.
        shown = URL_RE.sub(lambda m: "https://t.co/" + hashlib.sha1(m.group(0).encode()).hexdigest()[:10], text)  # noqa: S324
        shown = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "text": shown,
            "source_text": text,
            "author_id": user.id,
            "conversation_id": tweet_id,
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "edit_history_tweet_ids": [tweet_id],
            "attachments": {"media_keys": [f"3_{m}" for m in media_ids]} if media_ids else None,
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                               "bookmark_count": 0, "impression_count": 0},
        }  # fmt: skip
        if reply_to:
            parent = self._tweet(reply_to)
            answered = self.users[parent["author_id"]]
            tweet.update(
                referenced_tweets=[{"type": "replied_to", "id": reply_to}],
                in_reply_to_user_id=answered.id,
                conversation_id=parent["conversation_id"],
            )
            if not shown.startswith(f"@{answered.username}"):
                tweet["text"] = f"@{answered.username} {shown}"
        user.tweets[tweet_id] = tweet
        return tweet_id

    @route("DELETE", r"/2/tweets/(?P<id>\d+)")
    def delete_tweet(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return unauthorized()
        deleted = user.tweets.pop(request.params["id"], None) is not None
        return Response(json={"data": {"deleted": deleted}})

    def _view(self, tweet: dict[str, Any], fields: str) -> dict[str, Any]:
        view = {"id": tweet["id"], "text": tweet["text"], "edit_history_tweet_ids": tweet["edit_history_tweet_ids"]}
        for name in fields.split(","):
            known = ("public_metrics", "created_at", "author_id", "attachments", "conversation_id",
                     "in_reply_to_user_id", "referenced_tweets")  # fmt: skip
            if name in known and tweet.get(name) is not None:
                view[name] = tweet[name]
        return view

    @route("GET", r"/2/tweets")
    def lookup(self, request: Request) -> Response:
        if self._user(request) is None:
            return unauthorized()
        fields = request.arg("tweet.fields")
        data, errors = [], []
        for tweet_id in request.arg("ids").split(","):
            try:
                data.append(self._view(self._tweet(tweet_id), fields))
            except StopIteration:
                errors.append({
                    "value": tweet_id, "detail": f"Could not find tweet with ids: [{tweet_id}].",
                    "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids", "resource_id": tweet_id,
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                })  # fmt: skip
        body: dict[str, Any] = {}
        if data:
            body["data"] = data
        if errors:
            body["errors"] = errors
        return Response(json=body)

    @route("GET", r"/2/users/(?P<id>\d+)/tweets")
    def timeline(self, request: Request) -> Response:
        if self._user(request) is None:
            return unauthorized()
        user = self.users.get(request.params["id"])
        if user is None:
            return problem(
                404, "Not Found Error", "Could not find user", "https://api.twitter.com/2/problems/resource-not-found"
            )
        limit = max(5, min(int(request.arg("max_results", "10")), 100))
        excluded = request.arg("exclude").split(",")
        shown = [t for t in user.tweets.values() if not ("replies" in excluded and t.get("in_reply_to_user_id"))]
        newest = sorted(shown, key=lambda t: int(t["id"]), reverse=True)[:limit]
        data = [self._view(t, request.arg("tweet.fields")) for t in newest]
        meta = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        return Response(json={"data": data, "meta": meta} if data else {"meta": meta})

    @route("GET", r"/2/users/(?P<id>\d+)/mentions")
    def mentions(self, request: Request) -> Response:
        """Posts naming the user (replies to its posts included), newest first, at most the latest 800."""
        if self._user(request) is None:
            return unauthorized()
        user = self.users.get(request.params["id"])
        if user is None:
            return problem(
                404, "Not Found Error", "Could not find user", "https://api.twitter.com/2/problems/resource-not-found"
            )
        limit = int(request.arg("max_results", "10"))
        if not 5 <= limit <= 100:
            return Response(400, json={
                "errors": [{"parameters": {"max_results": [str(limit)]},
                            "message": "The `max_results` query parameter value is not between 5 and 100"}],
                "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            })  # fmt: skip
        since, until = int(request.arg("since_id") or 0), int(request.arg("until_id") or 0)
        token = request.arg("pagination_token")
        before = int(token[1:]) if token.startswith("p") and token[1:].isdigit() else 0
        named = f"@{user.username}".casefold()
        found = [
            t
            for author in self.users.values()
            for t in author.tweets.values()
            if author is not user and (named in t["text"].casefold() or t.get("in_reply_to_user_id") == user.id)
        ]
        found += self.raw_mentions.get(user.id, [])

        def key(entry: Any) -> int:
            value = entry.get("id") if isinstance(entry, dict) else None
            return int(value) if str(value or "").isdigit() else 0

        found = sorted(found, key=key, reverse=True)[:800]
        found = [
            t for t in found if key(t) > since and (not until or key(t) < until) and (not before or key(t) < before)
        ]
        page = found[:limit]
        fields = request.arg("tweet.fields")
        data = [self._view(t, fields) if key(t) and "source_text" in t else t for t in page]
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta.update(newest_id=str(key(page[0])), oldest_id=str(key(page[-1])))
        if len(found) > limit:
            meta["next_token"] = f"p{key(page[-1])}"
        body: dict[str, Any] = {"meta": meta}
        if data:
            body["data"] = data
        if "author_id" in request.arg("expansions") and data and not self.omit_includes:
            authors = {t.get("author_id") for t in page if isinstance(t, dict)}
            body["includes"] = {
                "users": [
                    {"id": u.id, "name": u.name, "username": u.username} for u in self.users.values() if u.id in authors
                ]
            }
        return Response(json=body)
