"""A local Instagram Graph API (professional accounts through the Facebook login).

Written from https://developers.facebook.com/docs/instagram-platform/content-publishing
and the IG User / IG Media / IG Container references:

- ``POST /{ig-user-id}/media`` (``image_url``, ``caption``, ``alt_text``; carousel items
  with ``is_carousel_item``, then ``media_type=CAROUSEL`` and ``children``) creates a
  container. Like the real service, the fake *fetches* ``image_url`` and refuses a URL
  it cannot download or that is not an image (code 9004, subcode 2207052).
- ``GET /{container-id}?fields=status_code`` (``IN_PROGRESS`` for
  ``processing_checks`` reads, then ``FINISHED``).
- ``POST /{ig-user-id}/media_publish`` (``creation_id``), refused with code 9007 while
  the container is not ready.
- ``GET /{ig-user-id}/media``, ``GET /{ig-media-id}`` (``like_count``,
  ``comments_count``, ``permalink``, ``caption``), ``GET /{ig-media-id}/insights``,
  ``DELETE /{ig-media-id}``, ``GET /{ig-user-id}?fields=followers_count``.
- the inbox: ``GET /{ig-media-id}/comments`` (newest first, ``limit`` and cursor ``after``,
  ``replies`` nested), ``GET|POST /{ig-comment-id}/replies`` (``message``; top comments only).

Login, tokens and Pages come from :class:`~terrain.networks.fakes.facebook.GraphFake`.
"""

from __future__ import annotations

import secrets
import time
import urllib.request
from datetime import UTC, datetime
from typing import Any

from terrain.networks.fakes.facebook import IMAGE_MAGIC, GraphFake, graph_error, graph_time, page_of, pick
from terrain.networks.fakes.server import Request, Response

METRICS = {"reach", "saved", "shares", "likes", "comments", "total_interactions", "views"}


class InstagramFake(GraphFake):
    name = "instagram"
    #: How many status reads a new container stays ``IN_PROGRESS``.
    processing_checks = 0

    def __init__(self) -> None:
        self.ig_users: dict[str, dict[str, Any]] = {}
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.ig_comments: dict[str, dict[str, Any]] = {}
        super().__init__()
        self.ig_user_id = self.link_instagram(self.page_id, "sectionterrain")

    # State helpers for tests -------------------------------------------
    def link_instagram(self, page_id: str, username: str, *, followers: int = 800) -> str:
        ig_id = "1784" + self.new_id()
        self.ig_users[ig_id] = {
            "id": ig_id,
            "username": username,
            "name": username.title(),
            "followers_count": followers,
            "media_count": 0,
            "page_id": page_id,
        }
        self.pages[page_id]["instagram"] = ig_id
        return ig_id

    def account_media(self, ig_id: str | None = None) -> list[dict[str, Any]]:
        ig_id = ig_id or self.ig_user_id
        return [m for m in self.media.values() if m["ig_user_id"] == ig_id and not m["deleted"]]

    def engage_media(self, media_id: str, *, likes: int = 0, comments: int = 0, **insights: int) -> None:
        media = self.media[media_id]
        media["like_count"] += likes
        media["comments_count"] += comments
        for name, value in insights.items():
            media["insights"][name] = media["insights"].get(name, 0) + value

    def add_media(self, caption: str = "Notre tract", ig_id: str | None = None) -> str:
        """A published media, as if posted through the API (tests of the inbox)."""
        ig_id = ig_id or self.ig_user_id
        with self.lock:
            media_id = "179" + self.new_id()
            self.media[media_id] = {
                "id": media_id,
                "ig_user_id": ig_id,
                "caption": caption,
                "alt_texts": [],
                "image_urls": [],
                "media_type": "IMAGE",
                "permalink": f"https://www.instagram.com/p/{media_id}/",
                "timestamp": graph_time(datetime.now(UTC)),
                "created": time.monotonic_ns(),
                "like_count": 0,
                "comments_count": 0,
                "insights": {},
                "deleted": False,
            }
            return media_id

    def add_comment(self, on: str, text: str, *, username: str = "bob.durand", at: datetime | None = None) -> str:
        """A comment on a media (``on``: its id) or a reply to a top comment (``on``: a comment id)."""
        with self.lock:
            parent = self.ig_comments.get(on)
            if parent and parent["parent"]:
                raise ValueError("Instagram answers top comments only")
            user_id = next((u for u, v in self.ig_users.items() if v["username"] == username), "")
            comment_id = "178" + self.new_id()
            self.ig_comments[comment_id] = {
                "id": comment_id,
                "media_id": parent["media_id"] if parent else on,
                "parent": on if parent else "",
                "username": username,
                "from": {"id": user_id or "1785" + self.new_id()[-8:], "username": username},
                "text": text,
                "when": at or datetime.now(UTC),
                "order": time.monotonic_ns(),
            }
            self.media[self.ig_comments[comment_id]["media_id"]]["comments_count"] += 1
            return comment_id

    def answers_of(self, comment_id: str, username: str = "sectionterrain") -> list[dict[str, Any]]:
        return [c for c in self.ig_comments.values() if c["parent"] == comment_id and c["username"] == username]

    def render_comment(self, comment: dict[str, Any], request: Request, *, nested: bool = True) -> dict[str, Any]:
        node = {
            "id": comment["id"],
            "text": comment["text"],
            "timestamp": graph_time(comment["when"]),
            "username": comment["username"],
            "from": comment["from"],
            "like_count": 0,
            "hidden": False,
        }
        fields = request.arg("fields") or "id,text,timestamp"
        if nested and "replies" in fields:
            replies = sorted(
                (c for c in self.ig_comments.values() if c["parent"] == comment["id"]), key=lambda c: c["when"]
            )
            node["replies"] = {"data": [self.render_comment(c, request, nested=False) for c in replies]}
        if comment["parent"]:
            node["parent_id"] = comment["parent"]
        return pick(node, request, "id,text,timestamp")

    def credentials(self) -> str:
        """What a demo needs to connect the seeded Instagram account."""
        return (
            f"FACEBOOK_APP_ID={self.client_id} FACEBOOK_APP_SECRET={self.client_secret} "
            f"ig_user_id={self.ig_user_id} page_id={self.page_id} access_token={self.page_token()}"
        )

    # Graph plumbing ----------------------------------------------------
    def render_page(self, page: dict[str, Any]) -> dict[str, Any]:
        node = super().render_page(page)
        ig_id = node.pop("instagram", None)
        if ig_id:
            user = self.ig_users[ig_id]
            node["instagram_business_account"] = {k: user[k] for k in ("id", "username", "name", "followers_count")}
        return node

    def may_act(self, info: dict[str, Any], ig_id: str) -> bool:
        page = self.pages[self.ig_users[ig_id]["page_id"]]
        if info["kind"] == "page":
            return info["page_id"] == page["id"]
        return info["user_id"] in page["managers"]

    def denied(self) -> Response:
        return graph_error(403, 10, "(#10) Application does not have permission for this action", kind="OAuthException")

    def get_other(self, request: Request, node: str, info: dict[str, Any]) -> Response:
        if node in self.ig_users:
            if not self.may_act(info, node):
                return self.denied()
            user = {k: v for k, v in self.ig_users[node].items() if k != "page_id"}
            return Response(json=pick(user, request, "id,username"))
        if node in self.containers:
            container = self.containers[node]
            if container["status_code"] == "IN_PROGRESS":
                container["checks_left"] -= 1
                if container["checks_left"] < 0:
                    container["status_code"] = "FINISHED"
            status = {"id": node, "status_code": container["status_code"], "status": container["status_code"]}
            return Response(json=pick(status, request, "id,status_code"))
        media = self.media.get(node)
        if media and not media["deleted"]:
            return Response(json=pick(self.render_media(media), request, "id"))
        return self.unknown(request, node)

    def render_media(self, media: dict[str, Any]) -> dict[str, Any]:
        return {
            key: media[key]
            for key in ("id", "caption", "permalink", "timestamp", "media_type", "like_count", "comments_count")
        } | {"username": self.ig_users[media["ig_user_id"]]["username"]}

    def get_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        if node in self.ig_users and edge == "media":
            if not self.may_act(info, node):
                return self.denied()
            items = sorted(self.account_media(node), key=lambda m: m["created"], reverse=True)
            limit = min(int(request.arg("limit") or 25), 100)
            data = [pick(self.render_media(m), request, "id") for m in items[:limit]]
            return Response(json={"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}})
        media = self.media.get(node)
        if media and not media["deleted"] and edge == "comments":
            if not self.may_act(info, media["ig_user_id"]):
                return self.denied()
            found = [c for c in self.ig_comments.values() if c["media_id"] == node and not c["parent"]]
            found.sort(key=lambda c: (c["when"], c["order"]), reverse=True)  # newest first
            return Response(json=page_of([self.render_comment(c, request) for c in found], request))
        comment = self.ig_comments.get(node)
        if comment and edge == "replies":
            found = sorted((c for c in self.ig_comments.values() if c["parent"] == node), key=lambda c: c["when"])
            return Response(json=page_of([self.render_comment(c, request, nested=False) for c in found], request))
        if media and not media["deleted"] and edge == "insights":
            wanted = [m for m in request.arg("metric").split(",") if m]
            unknown = [m for m in wanted if m not in METRICS]
            if not wanted or unknown:
                return graph_error(400, 100, f"(#100) metric[0] must be one of the following values: {METRICS}")
            data = [
                {
                    "name": name,
                    "period": "lifetime",
                    "values": [{"value": media["insights"].get(name, 0)}],
                    "title": name.title(),
                    "id": f"{node}/insights/{name}/lifetime",
                }
                for name in wanted
            ]
            return Response(json={"data": data})
        return self.unknown(request, f"{node}/{edge}")

    def post_other_edge(self, request: Request, node: str, edge: str, info: dict[str, Any]) -> Response:
        comment = self.ig_comments.get(node)
        if comment and edge == "replies":
            owner = self.media[comment["media_id"]]["ig_user_id"]
            if not self.may_act(info, owner):
                return self.denied()
            if comment["parent"]:
                return graph_error(400, 100, "(#100) Replies can only be made to top-level comments")
            message = str(request.form().get("message") or request.arg("message"))
            if not message:
                return graph_error(400, 100, "(#100) The parameter message is required")
            reply_id = self.add_comment(node, message, username=self.ig_users[owner]["username"])
            return Response(json={"id": reply_id})
        if node not in self.ig_users or edge not in {"media", "media_publish"}:
            return self.unknown(request, f"{node}/{edge}")
        if not self.may_act(info, node):
            return self.denied()
        form = request.form()
        if edge == "media":
            return self.create_container(node, form)
        return self.publish_container(node, form)

    def delete_other(self, request: Request, node: str, info: dict[str, Any]) -> Response:
        media = self.media.get(node)
        if media is None or media["deleted"]:
            return self.unknown(request, node)
        if not self.may_act(info, media["ig_user_id"]):
            return self.denied()
        media["deleted"] = True
        return Response(json={"success": True})

    # Publishing --------------------------------------------------------
    def _download(self, url: str) -> bytes | None:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (a test peer fetching test URLs)
                return answer.read()
        except (OSError, ValueError):
            return None

    def create_container(self, ig_id: str, form: dict[str, Any]) -> Response:
        caption = str(form.get("caption", ""))
        if len(caption) > 2200:
            return graph_error(
                400, 100, "(#100) The caption is too long", error_user_msg="Captions are limited to 2,200 characters."
            )
        if caption.count("#") > 30:
            return graph_error(400, 100, "(#100) Too many hashtags", error_user_msg="At most 30 hashtags.")
        children: list[str] = []
        if form.get("media_type") == "CAROUSEL":
            children = [c for c in str(form.get("children", "")).split(",") if c]
            if not 2 <= len(children) <= 10 or any(
                c not in self.containers or not self.containers[c]["is_carousel_item"] for c in children
            ):
                return graph_error(400, 100, "(#100) The parameter children must list 2 to 10 carousel items")
        else:
            url = str(form.get("image_url", ""))
            if not url:
                return graph_error(400, 100, "(#100) The parameter image_url is required")
            data = self._download(url)
            if data is None or not data.startswith(IMAGE_MAGIC):
                return graph_error(
                    400,
                    9004,
                    "Only photo or video can be accepted as media type.",
                    subcode=2207052,
                    error_user_title="Media download has failed",
                    error_user_msg="The media could not be fetched from this URI: " + url,
                )
        container_id = self.new_id()
        self.containers[container_id] = {
            "id": container_id,
            "ig_user_id": ig_id,
            "caption": caption,
            "alt_text": str(form.get("alt_text", "")),
            "image_url": str(form.get("image_url", "")),
            "is_carousel_item": str(form.get("is_carousel_item", "")).lower() == "true",
            "children": children,
            "status_code": "IN_PROGRESS" if self.processing_checks else "FINISHED",
            "checks_left": self.processing_checks,
        }
        return Response(json={"id": container_id})

    def publish_container(self, ig_id: str, form: dict[str, Any]) -> Response:
        container = self.containers.get(str(form.get("creation_id", "")))
        if container is None or container["ig_user_id"] != ig_id or container["is_carousel_item"]:
            return graph_error(400, 100, "(#100) Param creation_id must be a valid container ID")
        if container["status_code"] == "PUBLISHED":
            return graph_error(400, 100, "(#100) This container has already been published")
        if container["status_code"] != "FINISHED":
            return graph_error(
                400,
                9007,
                "Media ID is not available",
                subcode=2207027,
                error_user_msg="The media is not ready for publishing, please wait for a moment",
            )
        container["status_code"] = "PUBLISHED"
        media_id = "179" + self.new_id()
        shortcode = secrets.token_urlsafe(8)
        items = [self.containers[c] for c in container["children"]] or [container]
        self.media[media_id] = {
            "id": media_id,
            "ig_user_id": ig_id,
            "caption": container["caption"],
            "alt_texts": [item["alt_text"] for item in items],
            "image_urls": [item["image_url"] for item in items],
            "media_type": "CAROUSEL_ALBUM" if container["children"] else "IMAGE",
            "permalink": f"https://www.instagram.com/p/{shortcode}/",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "created": time.monotonic_ns(),
            "like_count": 0,
            "comments_count": 0,
            "insights": {},
            "deleted": False,
        }
        self.ig_users[ig_id]["media_count"] += 1
        return Response(json={"id": media_id})


FAKES = {"instagram": InstagramFake}
