"""A local Graph API that publishes on Facebook Pages, written from Meta's references.

- login dialog and tokens: https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  and https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
- Pages: ``GET /me/accounts``, ``POST /{page-id}/feed``, ``POST /{page-id}/photos``,
  ``GET /{page-id}/feed``, ``GET|DELETE /{post-id}`` (https://developers.facebook.com/docs/pages-api/posts)
- errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
- the inbox: ``GET /{object-id}/comments`` (``filter=stream|toplevel``, ``order``, ``since``,
  ``limit``, cursor ``after``) and ``POST /{object-id}/comments``
  (https://developers.facebook.com/docs/graph-api/reference/object/comments);
  ``GET /{page-id}/conversations?platform=messenger`` (``user_id``, ``messages.limit(n)``) and
  ``POST /{page-id}/messages`` (``recipient``, ``messaging_type``, ``message``; refused outside
  the 24-hour window: code 10, subcode 2018278).

Every path carries a version prefix (``/v25.0/...``); any version is accepted. The
dialog is answered at once, as if the person had agreed: it redirects to
``redirect_uri`` with a code. Tests drive the state with ``add_page``,
``page_token``, ``expire``, ``revoke`` and ``engage``.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from terrain.networks.fakes.server import FakeServer, Request, Response, route

VERSIONED = r"/v[0-9]+\.[0-9]+"
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF")


def graph_error(
    status: int, code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException", **extra: Any
) -> Response:
    """An error body shaped like the Graph API's."""
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": secrets.token_urlsafe(8)}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    return Response(status, json={"error": error})


def throttled(code: int = 32, *, minutes: int = 5) -> dict[str, Any]:
    """Keyword arguments for ``fail_next`` answering a rate limit the way the Pages API does:
    the error code, and the business-use-case header saying when calls are allowed again."""
    usage = {
        "1": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 10,
                "total_time": 10,
                "estimated_time_to_regain_access": minutes,
            }
        ]
    }
    body = {"error": {"message": f"(#{code}) Page request limit reached", "type": "OAuthException", "code": code}}
    return {"json": body, "headers": {"X-Business-Use-Case-Usage": json.dumps(usage)}}


def top_fields(raw: str) -> set[str]:
    """``id,reactions.summary(true),attachments{url}`` → ``{"id", "reactions", "attachments"}``."""
    names, depth, current = set(), 0, ""
    for char in raw:
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif char == "," and depth == 0:
            names.add(current)
            current = ""
            continue
        current += char
    names.add(current)
    return {re.split(r"[.{(]", name.strip())[0] for name in names if name.strip()}


def pick(node: dict[str, Any], request: Request, default: str = "id,name") -> dict[str, Any]:
    wanted = top_fields(request.arg("fields") or default) | {"id"}
    return {key: value for key, value in node.items() if key in wanted}


class GraphFake(FakeServer):
    """Tokens, login and Pages: what Facebook and Instagram share."""

    name = "graph"
    client_id = "terrain-meta-app"
    client_secret = "terrain-meta-secret"  # noqa: S105 (the fake app of the local peer)

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(100000000001)
        self.users: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.photos: dict[str, dict[str, Any]] = {}
        self.user_id = self.add_user("Alice Martin")
        self.page_id = self.add_page("Section syndicale Terrain", managers=[self.user_id])

    # State helpers for tests -------------------------------------------
    def new_id(self) -> str:
        return str(next(self._ids))

    def add_user(self, name: str) -> str:
        user_id = self.new_id()
        self.users[user_id] = {"id": user_id, "name": name}
        return user_id

    def add_page(self, name: str, *, managers: list[str], followers: int = 1200) -> str:
        page_id = self.new_id()
        token = "EAAPage" + secrets.token_urlsafe(16)
        self.pages[page_id] = {
            "id": page_id,
            "name": name,
            "username": re.sub(r"\W+", "", name.lower()),
            "link": f"https://www.facebook.com/{page_id}",
            "followers_count": followers,
            "fan_count": followers,
            "category": "Labor Union",
            "managers": set(managers),
            "access_token": token,
        }
        self.tokens[token] = {"kind": "page", "page_id": page_id, "user_id": managers[0], "state": "ok"}
        return page_id

    def user_token(self, user_id: str | None = None, *, lifetime: int = 5183944) -> str:
        token = "EAAUser" + secrets.token_urlsafe(16)
        self.tokens[token] = {
            "kind": "user",
            "user_id": user_id or self.user_id,
            "expires_at": time.time() + lifetime,
            "state": "ok",
        }
        return token

    def page_token(self, page_id: str | None = None) -> str:
        return self.pages[page_id or self.page_id]["access_token"]

    def expire(self, token: str) -> None:
        self.tokens[token]["state"] = "expired"

    def revoke(self, token: str) -> None:
        """As when the person removes the app or changes their password."""
        self.tokens[token]["state"] = "revoked"

    def engage(self, post_id: str, *, reactions: int = 0, shares: int = 0, comments: int = 0) -> None:
        post = self.posts[post_id]
        post["reactions"] += reactions
        post["shares"] += shares
        post["comments"] += comments

    def page_posts(self, page_id: str | None = None) -> list[dict[str, Any]]:
        page_id = page_id or self.page_id
        return [p for p in self.posts.values() if p["page_id"] == page_id and not p["deleted"]]

    # Plumbing ----------------------------------------------------------
    def _token_of(self, request: Request) -> str:
        if request.bearer:
            return request.bearer
        if request.arg("access_token"):
            return request.arg("access_token")
        if request.method in {"POST", "DELETE"} and request.body:
            return str(request.form().get("access_token", ""))
        return ""

    def authenticate(self, request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        token = self._token_of(request)
        if not token:
            return None, graph_error(
                400, 2500, "An active access token must be used to query information about the current user."
            )
        info = self.tokens.get(token)
        if info is None:
            return None, graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        expired = info.get("expires_at") and info["expires_at"] < time.time()
        if info["state"] == "expired" or expired:
            when = datetime.now(UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
            return None, graph_error(
                400, 190, f"Error validating access token: Session has expired on {when}.", subcode=463
            )
        if info["state"] == "revoked":
            return None, graph_error(
                400,
                190,
                "Error validating access token: The user has not authorized application.",
                subcode=458,
            )
        return info, None

    def unknown(self, request: Request, node: str) -> Response:
        verb = request.method.lower()
        return graph_error(
            400,
            100,
            f"Unsupported {verb} request. Object with ID '{node}' does not exist, cannot be loaded due to "
            "missing permissions, or does not support this operation.",
            subcode=33,
            kind="GraphMethodException",
        )

    # Login -------------------------------------------------------------
    @route("GET", VERSIONED + r"/dialog/oauth")
    def dialog(self, request: Request) -> Response:
        if request.arg("client_id") != self.client_id:
            return graph_error(400, 101, "Error validating application. Invalid application ID.")
        code = "AQ" + secrets.token_urlsafe(24)
        self.codes[code] = {"user_id": self.user_id, "redirect_uri": request.arg("redirect_uri")}
        query = urlencode({"code": code, "state": request.arg("state")})
        return Response(302, headers={"Location": f"{request.arg('redirect_uri')}?{query}"})

    @route("GET", VERSIONED + r"/oauth/access_token")
    def access_token(self, request: Request) -> Response:
        if request.arg("client_id") != self.client_id or request.arg("client_secret") != self.client_secret:
            return graph_error(400, 1, "Error validating client secret.")
        if request.arg("grant_type") == "fb_exchange_token":
            info = self.tokens.get(request.arg("fb_exchange_token"))
            if info is None or info["state"] != "ok":
                return graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
            token = self.user_token(info["user_id"])
            return Response(json={"access_token": token, "token_type": "bearer", "expires_in": 5183944})
        grant = self.codes.pop(request.arg("code"), None)
        if grant is None:
            return graph_error(400, 100, "This authorization code has been used.", subcode=36009)
        if grant["redirect_uri"] != request.arg("redirect_uri"):
            return graph_error(
                400,
                100,
                "Error validating verification code. Please make sure your redirect_uri is identical to the one "
                "you used in the OAuth dialog request",
                subcode=36008,
            )
        token = self.user_token(grant["user_id"], lifetime=5400)
        return Response(json={"access_token": token, "token_type": "bearer", "expires_in": 5400})

    @route("GET", VERSIONED + r"/me(?P<edge>/accounts)?")
    def me(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        if info["kind"] == "page" and not request.params.get("edge"):
            return Response(json=pick(self.pages[info["page_id"]], request))
        user = self.users[info["user_id"]]
        if not request.params.get("edge"):
            return Response(json=pick(user, request))
        if info["kind"] != "user":
            return graph_error(400, 100, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)")
        data = [
            pick(self.render_page(page), request, "id,name,access_token,category,tasks")
            for page in self.pages.values()
            if info["user_id"] in page["managers"]
        ]
        return Response(json={"data": data, "paging": {"cursors": {"before": "QVFIUm", "after": "QVFIUn"}}})

    def render_page(self, page: dict[str, Any]) -> dict[str, Any]:
        node = {key: value for key, value in page.items() if key != "managers"}
        node["tasks"] = ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"]
        return node

    # Objects -----------------------------------------------------------
    @route("GET", VERSIONED + r"/(?P<node>[0-9_]+)")
    def get_node(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        node = request.params["node"]
        if node in self.pages:
            page = self.render_page(self.pages[node])
            page.pop("access_token")
            return Response(json=pick(page, request))
        if node in self.posts and not self.posts[node]["deleted"]:
            return Response(json=pick(self.render_post(self.posts[node]), request, "id,message,created_time"))
        return self.get_other(request, node, info)

    def get_other(self, request: Request, node: str, info: dict[str, Any]) -> Response:
        return self.unknown(request, node)

    @route("DELETE", VERSIONED + r"/(?P<node>[0-9_]+)")
    def delete_node(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        node = request.params["node"]
        post = self.posts.get(node)
        if post is None or post["deleted"]:
            return self.delete_other(request, node, info)
        if info.get("page_id") != post["page_id"]:
            return graph_error(403, 200, "(#200) Permissions error", kind="OAuthException")
        post["deleted"] = True
        return Response(json={"success": True})

    def delete_other(self, request: Request, node: str, info: dict[str, Any]) -> Response:
        return self.unknown(request, node)

    @route("GET", VERSIONED + r"/(?P<node>[0-9_]+)/(?P<edge>[a-z_]+)")
    def get_edge(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        node, edge = request.params["node"], request.params["edge"]
        if node in self.pages and edge in {"feed", "posts", "published_posts"}:
            posts = sorted(self.page_posts(node), key=lambda p: p["created"], reverse=True)
            limit = min(int(request.arg("limit") or 25), 100)
            data = [pick(self.render_post(p), request, "id,message,created_time") for p in posts[:limit]]
            return Response(json={"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}})
        return self.get_other_edge(request, node, edge, info)

    def get_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        return self.unknown(request, f"{node}/{edge}")

    @route("POST", VERSIONED + r"/(?P<node>[0-9_]+)/(?P<edge>[a-z_]+)")
    def post_edge(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        node, edge = request.params["node"], request.params["edge"]
        if node in self.pages and edge in {"feed", "photos"}:
            if info["kind"] != "page" or info["page_id"] != node:
                return graph_error(
                    403,
                    200,
                    "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as "
                    "an admin with sufficient administrative permission",
                )
            form = request.form()
            return self.post_feed(node, form) if edge == "feed" else self.post_photo(node, form)
        return self.post_other_edge(request, node, edge, info)

    def post_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        return self.unknown(request, f"{node}/{edge}")

    # Pages -------------------------------------------------------------
    def render_post(self, post: dict[str, Any]) -> dict[str, Any]:
        node: dict[str, Any] = {
            "id": post["id"],
            "created_time": post["created_time"],
            "permalink_url": post["permalink_url"],
            "reactions": {"data": [], "summary": {"total_count": post["reactions"], "viewer_reaction": "NONE"}},
            "comments": {
                "data": [],
                "summary": {"order": "ranked", "total_count": post["comments"], "can_comment": True},
            },
        }
        if post["message"]:
            node["message"] = post["message"]
        if post["shares"]:  # the Graph API leaves the field out when nobody shared
            node["shares"] = {"count": post["shares"]}
        if post["link"]:
            node["attachments"] = {
                "data": [
                    {
                        "type": "share",
                        "unshimmed_url": post["link"],
                        "url": "https://l.facebook.com/l.php?" + urlencode({"u": post["link"]}),
                    }
                ]
            }
        return node

    def _refuse(self, page_id: str, message: str) -> Response | None:
        if len(message) > 63206:
            return graph_error(400, 100, "(#100) The message is too long: at most 63206 characters")
        recent = sorted(self.page_posts(page_id), key=lambda p: p["created"], reverse=True)
        if message and recent and recent[0]["message"] == message:
            return graph_error(400, 506, "(#506) Duplicate status message")
        return None

    def _new_post(self, page_id: str, message: str, link: str = "", photos: list[str] | None = None) -> str:
        post_id = f"{page_id}_{self.new_id()}"
        self.posts[post_id] = {
            "id": post_id,
            "page_id": page_id,
            "message": message,
            "link": link,
            "photos": photos or [],
            "created": time.monotonic_ns(),
            "created_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post_id.split('_')[1]}",
            "reactions": 0,
            "shares": 0,
            "comments": 0,
            "deleted": False,
        }
        return post_id

    def post_feed(self, page_id: str, form: dict[str, Any]) -> Response:
        message, link = str(form.get("message", "")), str(form.get("link", ""))
        attached = []
        for key in sorted(k for k in form if k.startswith("attached_media[")):
            match = re.search(r'"media_fbid"\s*:\s*"?(\d+)', str(form[key]))
            if not match or match.group(1) not in self.photos:
                return graph_error(400, 100, "(#100) param attached_media must be a valid photo id")
            attached.append(match.group(1))
        if not message and not link and not attached:
            return graph_error(400, 100, "(#100) Missing message or attachment")
        refusal = self._refuse(page_id, message)
        if refusal:
            return refusal
        post_id = self._new_post(page_id, message, link, attached)
        for photo_id in attached:
            self.photos[photo_id]["post_id"] = post_id
        return Response(json={"id": post_id})

    def post_photo(self, page_id: str, form: dict[str, Any]) -> Response:
        source = form.get("source")
        if isinstance(source, bytes):
            if not source.startswith(IMAGE_MAGIC):
                return graph_error(400, 324, "(#324) Requires upload file: the file is not an image")
        elif not form.get("url"):
            return graph_error(400, 324, "(#324) Requires upload file")
        caption = str(form.get("caption", form.get("message", "")))
        published = str(form.get("published", "true")).lower() != "false"
        if published:
            refusal = self._refuse(page_id, caption)
            if refusal:
                return refusal
        photo_id = self.new_id()
        self.photos[photo_id] = {"id": photo_id, "page_id": page_id, "alt_text_custom": form.get("alt_text_custom", "")}
        if not published:
            return Response(json={"id": photo_id})
        post_id = self._new_post(page_id, caption, photos=[photo_id])
        self.photos[photo_id]["post_id"] = post_id
        return Response(json={"id": photo_id, "post_id": post_id})


def graph_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def page_of(items: list[dict[str, Any]], request: Request, default_limit: int = 25) -> dict[str, Any]:
    """One page of ``items`` with Graph cursors (``after`` is the position, opaque to clients)."""
    try:
        start = int(request.arg("after") or 0)
        limit = min(max(int(request.arg("limit") or default_limit), 1), 100)
    except ValueError:
        start, limit = 0, default_limit
    chunk = items[start : start + limit]
    paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(chunk))}}
    if start + limit < len(items):
        paging["next"] = f"https://graph.facebook.com/v25.0/next?after={start + len(chunk)}"
    return {"data": chunk, "paging": paging}


def nested_limit(fields: str, edge: str, default: int = 25) -> int:
    match = re.search(re.escape(edge) + r"\.limit\((\d+)\)", fields)
    return int(match.group(1)) if match else default


class FacebookFake(GraphFake):
    name = "facebook"

    def __init__(self) -> None:
        self.comments: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        super().__init__()

    # Inbox state for tests ----------------------------------------------
    def add_comment(
        self,
        on: str,
        text: str,
        *,
        author: str = "Bob Durand",
        author_id: str = "",
        at: datetime | None = None,
    ) -> str:
        """A comment by someone on a post (``on``: its id) or a reply to a comment (``on``: a comment id)."""
        with self.lock:
            parent = self.comments.get(on)
            post_id = parent["post_id"] if parent else on
            top = (parent["parent"] or parent["id"]) if parent else ""
            comment_id = f"{post_id.split('_')[-1]}_{self.new_id()}"
            when = at or datetime.now(UTC)
            self.comments[comment_id] = {
                "id": comment_id,
                "post_id": post_id,
                "parent": top,
                "from": {"id": author_id or self._person(author), "name": author},
                "message": text,
                "when": when,
                "order": time.monotonic_ns(),
            }
            if post_id in self.posts:
                self.posts[post_id]["comments"] += 1
            return comment_id

    def _person(self, name: str) -> str:
        for user in self.users.values():
            if user["name"] == name:
                return user["id"]
        return self.add_user(name)

    def add_message(self, text: str, *, sender: str = "Chloé Petit", at: datetime | None = None) -> str:
        """A Messenger message from ``sender`` to the Page (one conversation per person)."""
        with self.lock:
            psid = self._person(sender)
            conversation = self.conversations.setdefault(
                psid, {"id": f"t_{self.new_id()}", "psid": psid, "name": sender, "messages": []}
            )
            message_id = f"m_{secrets.token_urlsafe(12)}"
            conversation["messages"].append(
                {
                    "id": message_id,
                    "from": {"id": psid, "name": sender},
                    "message": text,
                    "when": at or datetime.now(UTC),
                }
            )
            return message_id

    def page_answers(self, comment_id: str) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["parent"] == comment_id and c["from"]["id"] == self.page_id]

    # Inbox API -----------------------------------------------------------
    def render_comment(self, comment: dict[str, Any]) -> dict[str, Any]:
        node = {
            "id": comment["id"],
            "message": comment["message"],
            "created_time": graph_time(comment["when"]),
            "from": comment["from"],
            "permalink_url": f"https://www.facebook.com/{comment['post_id']}?comment_id={comment['id']}",
        }
        if comment["parent"]:
            node["parent"] = {
                "id": comment["parent"],
                "created_time": graph_time(self.comments[comment["parent"]]["when"]),
            }
        return node

    def get_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        if edge == "comments" and (node in self.posts or node in self.comments):
            return self.list_comments(request, node)
        if edge == "conversations" and node in self.pages:
            if info.get("page_id") != node:
                return graph_error(403, 200, "(#200) Requires pages_messaging permission to manage the object")
            return self.list_conversations(request)
        return super().get_other_edge(request, node, edge, info)

    def list_comments(self, request: Request, node: str) -> Response:
        if node in self.posts:
            stream = request.arg("filter") == "stream"
            found = [c for c in self.comments.values() if c["post_id"] == node and (stream or not c["parent"])]
        else:
            found = [c for c in self.comments.values() if c["parent"] == node]
        since = request.arg("since")
        if since:
            if not since.isdigit():
                return graph_error(400, 100, "(#100) The parameter since must be a unix timestamp")
            found = [c for c in found if c["when"].timestamp() >= int(since)]
        reverse = request.arg("order") == "reverse_chronological"
        found.sort(key=lambda c: (c["when"], c["order"]), reverse=reverse)
        rendered = [pick(self.render_comment(c), request, "id,message,created_time") for c in found]
        return Response(json=page_of(rendered, request))

    def list_conversations(self, request: Request) -> Response:
        if request.arg("platform") not in {"", "messenger"}:
            return graph_error(400, 100, "(#100) platform must be one of messenger, instagram")
        user_id = request.arg("user_id")
        limit = nested_limit(request.arg("fields"), "messages")
        found = [c for c in self.conversations.values() if not user_id or c["psid"] == user_id]
        found.sort(key=lambda c: max(m["when"] for m in c["messages"]), reverse=True)
        data = []
        for conversation in found:
            messages = sorted(conversation["messages"], key=lambda m: m["when"], reverse=True)
            rendered = [
                {"id": m["id"], "message": m["message"], "from": m["from"], "created_time": graph_time(m["when"])}
                for m in messages[:limit]
            ]
            data.append(
                {
                    "id": conversation["id"],
                    "updated_time": graph_time(messages[0]["when"]),
                    "messages": {"data": rendered, "paging": {"cursors": {"before": "0", "after": str(len(rendered))}}},
                }
            )
        return Response(json=page_of(data, request))

    def post_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        if edge == "comments" and (node in self.posts or node in self.comments):
            if info["kind"] != "page":
                return graph_error(403, 200, "(#200) Requires pages_manage_engagement permission")
            message = str(request.form().get("message", ""))
            if not message:
                return graph_error(400, 100, "(#100) Missing message or attachment")
            page = self.pages[info["page_id"]]
            comment_id = self.add_comment(node, message, author=page["name"], author_id=page["id"])
            return Response(json={"id": comment_id})
        if edge == "messages" and node in self.pages:
            return self.send_message(request, node, info)
        return super().post_other_edge(request, node, edge, info)

    def send_message(self, request: Request, page_id: str, info: dict[str, Any]) -> Response:
        if info.get("page_id") != page_id:
            return graph_error(403, 10, "(#10) Requires pages_messaging permission to manage the object")
        form = request.form()
        try:
            recipient = json.loads(str(form.get("recipient", "")))
            message = json.loads(str(form.get("message", "")))
        except ValueError:
            return graph_error(400, 100, "(#100) param recipient must be a JSON object")
        if form.get("messaging_type") not in {"RESPONSE", "UPDATE", "MESSAGE_TAG"}:
            return graph_error(400, 100, "(#100) param messaging_type must be one of RESPONSE, UPDATE, MESSAGE_TAG")
        conversation = self.conversations.get(str((recipient or {}).get("id", "")))
        if conversation is None:
            return graph_error(400, 100, "(#100) No matching user found", subcode=2018001)
        theirs = [m["when"] for m in conversation["messages"] if m["from"]["id"] == conversation["psid"]]
        if not theirs or (datetime.now(UTC) - max(theirs)).total_seconds() > 24 * 3600:
            return graph_error(
                400, 10, "(#10) This message is sent outside of allowed window.", subcode=2018278, kind="OAuthException"
            )
        message_id = f"m_{secrets.token_urlsafe(12)}"
        page = self.pages[page_id]
        conversation["messages"].append(
            {
                "id": message_id,
                "from": {"id": page_id, "name": page["name"]},
                "message": str((message or {}).get("text", "")),
                "when": datetime.now(UTC),
            }
        )
        return Response(json={"recipient_id": conversation["psid"], "message_id": message_id})

    def credentials(self) -> str:
        """What a demo needs to connect the seeded Page (``python -m terrain.networks.fakes facebook``)."""
        return (
            f"FACEBOOK_APP_ID={self.client_id} FACEBOOK_APP_SECRET={self.client_secret} "
            f"page_id={self.page_id} access_token={self.page_token()}"
        )

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            posts = [
                {
                    "account": post["page_id"],
                    "text": post["message"],
                    "at": datetime.strptime(post["created_time"], "%Y-%m-%dT%H:%M:%S%z").isoformat(),
                    "id": post["id"],
                    "likeCount": post["reactions"],
                    "repostCount": post["shares"],
                }
                for post in self.posts.values()
                if not post["deleted"]
            ]
        return sorted(posts, key=lambda post: post["at"], reverse=True)


FAKES = {"facebook": FacebookFake}
