"""A local LinkedIn API for organisation pages, written from LinkedIn's references.

- OAuth 2 (https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow
  and .../programmatic-refresh-tokens): ``GET /oauth/v2/authorization`` (answered at
  once, as if the member agreed), ``POST /oauth/v2/accessToken`` (codes and refresh
  tokens; errors ``{"error": "invalid_grant", "error_description": ...}``).
- Versioned REST API (``LinkedIn-Version: YYYYMM`` required):
  ``POST /rest/images?action=initializeUpload`` then ``PUT`` on the upload URL;
  ``POST /rest/posts`` (201, id in ``x-restli-id``), ``GET /rest/posts?q=author``,
  ``DELETE /rest/posts/{urn}``; ``GET /rest/socialActions/{urn}``;
  ``GET|POST /rest/socialActions/{post or comment urn}/comments`` (the Comments API, one level
  of answers, ``parentComment``);
  ``GET /rest/organizationalEntityShareStatistics``; ``GET /rest/networkSizes/{urn}``;
  ``GET /rest/organizationAcls?q=roleAssignee``; ``GET /rest/organizations/{id}``.
- Errors: ``{"status": 401, "serviceErrorCode": 65601, "code": "EXPIRED_ACCESS_TOKEN",
  "message": ...}`` (https://learn.microsoft.com/linkedin/shared/api-guide/concepts/error-handling).
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from typing import Any
from urllib.parse import unquote, urlencode

from terrain.networks.fakes.server import FakeServer, Request, Response, route

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF")


def li_error(status: int, message: str, *, code: str = "", service: int | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service is not None:
        body["serviceErrorCode"] = service
    return Response(status, json=body)


def oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, json={"error": error, "error_description": description})


class LinkedInFake(FakeServer):
    name = "linkedin"
    client_id = "terrain-linkedin-app"
    client_secret = "terrain-linkedin-secret"  # noqa: S105 (the fake app of the local peer)

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(7300000000000000001)
        self.member = "urn:li:person:aliceM4rt1n"
        self.orgs: dict[str, dict[str, Any]] = {}
        self.acls: list[dict[str, str]] = []
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.refresh_tokens: dict[str, dict[str, Any]] = {}
        self.images: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, str] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.org_id = self.add_org("Syndicat Terrain", "syndicat-terrain", followers=2500)

    # State helpers for tests -------------------------------------------
    def add_org(self, name: str, vanity: str, *, followers: int = 0, role: str = "ADMINISTRATOR") -> str:
        org_id = str(next(self._ids) % 100000000)
        self.orgs[org_id] = {"id": int(org_id), "localizedName": name, "vanityName": vanity, "followers": followers}
        self.acls.append(
            {
                "roleAssignee": self.member,
                "organization": f"urn:li:organization:{org_id}",
                "role": role,
                "state": "APPROVED",
            }
        )
        return org_id

    def grant(self, *, lifetime: int = 5183999, refresh_lifetime: int = 31535999) -> dict[str, Any]:
        """A token answer as the token endpoint gives it (with a refresh token)."""
        access, refresh = "AQV" + secrets.token_urlsafe(24), "AQX" + secrets.token_urlsafe(24)
        now = time.time()
        self.tokens[access] = {"member": self.member, "expires_at": now + lifetime, "state": "ok"}
        self.refresh_tokens[refresh] = {"member": self.member, "expires_at": now + refresh_lifetime, "state": "ok"}
        return {
            "access_token": access,
            "expires_in": lifetime,
            "refresh_token": refresh,
            "refresh_token_expires_in": refresh_lifetime,
            "scope": "r_organization_social,rw_organization_admin,w_organization_social",
        }

    def credentials(self) -> str:
        """What a demo needs to connect the seeded organisation page."""
        grant = self.grant(lifetime=30 * 86400)
        return (
            f"LINKEDIN_CLIENT_ID={self.client_id} LINKEDIN_CLIENT_SECRET={self.client_secret} "
            f"organization_id={self.org_id} access_token={grant['access_token']} "
            f"refresh_token={grant['refresh_token']}"
        )

    def expire(self, token: str) -> None:
        self.tokens[token]["state"] = "expired"

    def revoke(self, token: str) -> None:
        """The member withdrew the app: every token of theirs stops working, refresh tokens too."""
        member = self.tokens[token]["member"]
        for store in (self.tokens, self.refresh_tokens):
            for info in store.values():
                if info["member"] == member:
                    info["state"] = "revoked"

    def engage(self, urn: str, **counts: int) -> None:
        for key, value in counts.items():
            self.posts[urn]["stats"][key] += value

    def add_post(self, text: str = "Notre tract") -> str:
        """A post of the page, as if published through the API (tests of the inbox)."""
        urn = f"urn:li:share:{next(self._ids)}"
        now = int(time.time() * 1000)
        self.posts[urn] = {
            "id": urn,
            "author": f"urn:li:organization:{self.org_id}",
            "commentary": text,
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED"},
            "content": None,
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
            "createdAt": now,
            "lastModifiedAt": now,
            "publishedAt": now,
            "created": time.monotonic_ns(),
            "deleted": False,
            "stats": {"likes": 0, "comments": 0, "shares": 0, "impressions": 0, "clicks": 0},
        }
        return urn

    def add_comment(self, on: str, text: str, *, actor: str = "urn:li:person:b0bDur4nd", at_ms: int = 0) -> str:
        """A comment on a post (``on``: its urn) or an answer to a top comment (``on``: a comment urn)."""
        with self.lock:
            parent = self.comments.get(on)
            post = parent["object"] if parent else on
            comment_id = str(next(self._ids))
            urn = f"urn:li:comment:({post},{comment_id})"
            self.comments[urn] = {
                "id": comment_id,
                "urn": urn,
                "object": post,
                "parent": on if parent else "",
                "actor": actor,
                "text": text,
                "time": at_ms or int(time.time() * 1000),
            }
            if post in self.posts:
                self.posts[post]["stats"]["comments"] += 1
            return urn

    def answers_of(self, comment_urn: str) -> list[dict[str, Any]]:
        org = f"urn:li:organization:{self.org_id}"
        return [c for c in self.comments.values() if c["parent"] == comment_urn and c["actor"] == org]

    def render_comment(self, comment: dict[str, Any]) -> dict[str, Any]:
        answers = sum(1 for c in self.comments.values() if c["parent"] == comment["urn"])
        node: dict[str, Any] = {
            "actor": comment["actor"],
            "commentUrn": comment["urn"],
            "$URN": comment["urn"],
            "id": comment["id"],
            "object": comment["object"],
            "message": {"text": comment["text"], "attributes": []},
            "created": {"actor": comment["actor"], "time": comment["time"]},
            "lastModified": {"actor": comment["actor"], "time": comment["time"]},
            "likesSummary": {"totalLikes": 0, "likedByCurrentUser": False},
            "commentsSummary": {"aggregatedTotalComments": answers, "totalFirstLevelComments": answers},
        }
        if comment["parent"]:
            node["parentComment"] = comment["parent"]
        return node

    def org_posts(self, org_id: str | None = None) -> list[dict[str, Any]]:
        author = f"urn:li:organization:{org_id or self.org_id}"
        return [p for p in self.posts.values() if p["author"] == author and not p["deleted"]]

    # Plumbing ----------------------------------------------------------
    def authenticate(self, request: Request, *, versioned: bool = True) -> tuple[dict | None, Response | None]:
        if versioned and not re.fullmatch(r"20\d{4}", request.header("linkedin-version")):
            return None, li_error(
                400,
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                code="VERSION_MISSING",
            )
        info = self.tokens.get(request.bearer)
        if info is None:
            return None, li_error(401, "Invalid access token", code="INVALID_ACCESS_TOKEN", service=65600)
        if info["state"] == "expired" or info["expires_at"] < time.time():
            return None, li_error(
                401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN", service=65601
            )
        if info["state"] == "revoked":
            return None, li_error(
                401,
                "The token used in the request has been revoked by the user",
                code="REVOKED_ACCESS_TOKEN",
                service=65602,
            )
        return info, None

    def administers(self, member: str, org_urn: str) -> bool:
        return any(
            acl["roleAssignee"] == member
            and acl["organization"] == org_urn
            and acl["role"] in {"ADMINISTRATOR", "CONTENT_ADMINISTRATOR"}
            for acl in self.acls
        )

    def denied(self, what: str) -> Response:
        return li_error(403, f"Not enough permissions to access: {what}", code="ACCESS_DENIED", service=100)

    # OAuth -------------------------------------------------------------
    @route("GET", r"/oauth/v2/authorization")
    def authorization(self, request: Request) -> Response:
        if request.arg("client_id") != self.client_id:
            return oauth_error(400, "invalid_client", "The passed in client_id is invalid")
        code = "AQT" + secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": request.arg("redirect_uri"), "scope": request.arg("scope")}
        query = urlencode({"code": code, "state": request.arg("state")})
        return Response(302, headers={"Location": f"{request.arg('redirect_uri')}?{query}"})

    @route("POST", r"/oauth/v2/accessToken")
    def access_token(self, request: Request) -> Response:
        form = request.form()
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return oauth_error(401, "invalid_client", "Client authentication failed")
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(str(form.get("code", "")), None)
            if grant is None:
                return oauth_error(
                    400,
                    "invalid_request",
                    "Unable to retrieve access token: appid/redirect uri/code "
                    "verifier does not match authorization code. Or authorization code expired.",
                )
            if grant["redirect_uri"] != form.get("redirect_uri"):
                return oauth_error(
                    400,
                    "invalid_redirect_uri",
                    "Unable to retrieve access token: appid/redirect uri does not match authorization code.",
                )
            return Response(json=self.grant())
        if form.get("grant_type") == "refresh_token":
            info = self.refresh_tokens.get(str(form.get("refresh_token", "")))
            if info is None or info["state"] != "ok" or info["expires_at"] < time.time():
                return oauth_error(
                    400,
                    "invalid_grant",
                    "The provided authorization grant or refresh token is invalid, expired or revoked.",
                )
            access = "AQV" + secrets.token_urlsafe(24)
            self.tokens[access] = {"member": info["member"], "expires_at": time.time() + 5183999, "state": "ok"}
            # The refresh token keeps its first lifetime (programmatic refresh tokens).
            refresh = next(k for k, v in self.refresh_tokens.items() if v is info)
            return Response(
                json={
                    "access_token": access,
                    "expires_in": 5183999,
                    "refresh_token": refresh,
                    "refresh_token_expires_in": int(info["expires_at"] - time.time()),
                    "scope": "r_organization_social,rw_organization_admin,w_organization_social",
                }
            )
        return oauth_error(400, "unsupported_grant_type", "The grant type is not supported")

    # Organisations -----------------------------------------------------
    @route("GET", r"/rest/organizationAcls")
    def organization_acls(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        if request.arg("q") != "roleAssignee":
            return li_error(400, "Invalid query parameters passed to request", code="ILLEGAL_ARGUMENT")
        elements = [
            acl
            for acl in self.acls
            if acl["roleAssignee"] == info["member"]
            and (not request.arg("role") or acl["role"] == request.arg("role"))
            and (not request.arg("state") or acl["state"] == request.arg("state"))
        ]
        return Response(json={"paging": {"count": 100, "start": 0, "links": []}, "elements": elements})

    @route("GET", r"/rest/organizations/(?P<org>\d+)")
    def organization(self, request: Request) -> Response:
        _info, error = self.authenticate(request)
        if error:
            return error
        org = self.orgs.get(request.params["org"])
        if org is None:
            return li_error(404, "Not Found", code="NOT_FOUND")
        return Response(json={k: v for k, v in org.items() if k != "followers"})

    @route("GET", r"/rest/networkSizes/(?P<urn>[^/]+)")
    def network_sizes(self, request: Request) -> Response:
        _info, error = self.authenticate(request)
        if error:
            return error
        urn = unquote(request.params["urn"])
        org = self.orgs.get(urn.rsplit(":", 1)[-1])
        if org is None or request.arg("edgeType") != "COMPANY_FOLLOWED_BY_MEMBER":
            return li_error(400, "Invalid edgeType or organization", code="ILLEGAL_ARGUMENT")
        return Response(json={"firstDegreeSize": org["followers"]})

    # Images ------------------------------------------------------------
    @route("POST", r"/rest/images")
    def images_action(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        if request.arg("action") != "initializeUpload":
            return li_error(400, "Unsupported action", code="ILLEGAL_ARGUMENT")
        owner = ((request.json() or {}).get("initializeUploadRequest") or {}).get("owner", "")
        if not self.administers(info["member"], owner):
            return self.denied("partnerApiImages.ACTION.initializeUpload")
        urn = f"urn:li:image:C4E10AQ{secrets.token_urlsafe(10)}"
        key = secrets.token_hex(12)
        self.images[urn] = {"owner": owner, "status": "WAITING_UPLOAD", "data": b""}
        self.uploads[key] = urn
        return Response(
            json={
                "value": {
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 86400000,
                    "uploadUrl": f"http://{request.header('host')}/dms-uploads/{key}/uploaded-image/0",
                    "image": urn,
                }
            }
        )

    @route("PUT", r"/dms-uploads/(?P<key>\w+)/uploaded-image/0")
    def upload(self, request: Request) -> Response:
        _info, error = self.authenticate(request, versioned=False)
        if error:
            return error
        urn = self.uploads.pop(request.params["key"], None)
        if urn is None:
            return Response(404, body=b"")
        if not request.body.startswith(IMAGE_MAGIC):
            return Response(400, body=b"")
        self.images[urn].update(status="AVAILABLE", data=request.body)
        return Response(201, body=b"")

    # Posts -------------------------------------------------------------
    @route("POST", r"/rest/posts")
    def create_post(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        body = request.json() or {}
        author = body.get("author", "")
        if not self.administers(info["member"], author):
            return self.denied("partnerApiPostsExternal.CREATE.20260501")
        missing = [f for f in ("author", "commentary", "visibility", "distribution", "lifecycleState") if f not in body]
        if missing:
            return li_error(422, f"ERROR :: /{missing[0]} :: field is required but not found and has no default value")
        commentary = body["commentary"]
        if len(commentary) > 3000:
            return li_error(422, "ERROR :: /commentary :: length of the text must be at most 3000")
        unescaped = re.search(r"(?<!\\)[|\[\]()<>*_~@]", re.sub(r"\{hashtag\|\\#\|[^}]*\}", "", commentary))
        if unescaped:
            return li_error(422, f"ERROR :: /commentary :: reserved character '{unescaped.group()}' must be escaped")
        for image in _images_of(body.get("content") or {}):
            stored = self.images.get(image.get("id", ""))
            if stored is None or stored["status"] != "AVAILABLE":
                return li_error(422, f"ERROR :: /content/media/id :: image {image.get('id')} is not available")
        for post in self.org_posts(author.rsplit(":", 1)[-1]):
            if post["commentary"] == commentary and post["content"] == body.get("content"):
                return li_error(422, f"Content is a duplicate of {post['id']}", code="DUPLICATE_POST")
        urn = f"urn:li:share:{next(self._ids)}"
        now = int(time.time() * 1000)
        self.posts[urn] = {
            "id": urn,
            "author": author,
            "commentary": commentary,
            "visibility": body["visibility"],
            "distribution": body["distribution"],
            "content": body.get("content"),
            "lifecycleState": body["lifecycleState"],
            "isReshareDisabledByAuthor": body.get("isReshareDisabledByAuthor", False),
            "createdAt": now,
            "lastModifiedAt": now,
            "publishedAt": now,
            "created": time.monotonic_ns(),
            "deleted": False,
            "stats": {"likes": 0, "comments": 0, "shares": 0, "impressions": 0, "clicks": 0},
        }
        return Response(201, headers={"x-restli-id": urn, "x-linkedin-id": urn}, body=b"")

    def render_post(self, post: dict[str, Any]) -> dict[str, Any]:
        node = {k: v for k, v in post.items() if k not in {"created", "deleted", "stats"}}
        if node["content"] is None:
            node.pop("content")
        return node

    @route("GET", r"/rest/posts")
    def find_posts(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        author = request.arg("author")
        if request.arg("q") != "author" or not author.startswith("urn:li:"):
            return li_error(400, "Invalid query parameters passed to request", code="ILLEGAL_ARGUMENT")
        if not self.administers(info["member"], author):
            return self.denied("partnerApiPostsExternal.FINDER-author.20260501")
        posts = sorted(self.org_posts(author.rsplit(":", 1)[-1]), key=lambda p: p["created"], reverse=True)
        start, count = int(request.arg("start") or 0), min(int(request.arg("count") or 10), 100)
        elements = [self.render_post(p) for p in posts[start : start + count]]
        return Response(
            json={"paging": {"start": start, "count": count, "links": [], "total": len(posts)}, "elements": elements}
        )

    @route("DELETE", r"/rest/posts/(?P<urn>[^/]+)")
    def delete_post(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        post = self.posts.get(unquote(request.params["urn"]))
        if post is None or post["deleted"]:
            return li_error(404, "Not Found", code="NOT_FOUND")
        if not self.administers(info["member"], post["author"]):
            return self.denied("partnerApiPostsExternal.DELETE.20260501")
        post["deleted"] = True
        return Response(204, body=b"")

    # Statistics --------------------------------------------------------
    @route("GET", r"/rest/socialActions/(?P<urn>[^/]+)")
    def social_actions(self, request: Request) -> Response:
        _info, error = self.authenticate(request)
        if error:
            return error
        urn = unquote(request.params["urn"])
        post = self.posts.get(urn)
        if post is None or post["deleted"]:
            return li_error(404, "Not Found", code="NOT_FOUND")
        likes, comments = post["stats"]["likes"], post["stats"]["comments"]
        return Response(
            json={
                "target": urn,
                "likesSummary": {"totalLikes": likes, "aggregatedTotalLikes": likes, "likedByCurrentUser": False},
                "commentsSummary": {"totalFirstLevelComments": comments, "aggregatedTotalComments": comments},
            }
        )

    @route("GET", r"/rest/socialActions/(?P<urn>[^/]+)/comments")
    def list_comments(self, request: Request) -> Response:
        _info, error = self.authenticate(request)
        if error:
            return error
        target = unquote(request.params["urn"])
        if target in self.posts and not self.posts[target]["deleted"]:
            found = [c for c in self.comments.values() if c["object"] == target and not c["parent"]]
        elif target in self.comments:
            found = [c for c in self.comments.values() if c["parent"] == target]
        else:
            return li_error(404, "Not Found", code="NOT_FOUND")
        found.sort(key=lambda c: c["time"], reverse=True)  # newest first
        start, count = int(request.arg("start") or 0), min(int(request.arg("count") or 10), 100)
        elements = [self.render_comment(c) for c in found[start : start + count]]
        return Response(
            json={"paging": {"start": start, "count": count, "links": [], "total": len(found)}, "elements": elements}
        )

    @route("POST", r"/rest/socialActions/(?P<urn>[^/]+)/comments")
    def create_comment(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        target = unquote(request.params["urn"])
        body = request.json() or {}
        actor = body.get("actor", "")
        if actor.startswith("urn:li:organization:") and not self.administers(info["member"], actor):
            return self.denied("socialActions.comments.CREATE")
        text = (body.get("message") or {}).get("text", "")
        if not actor or not body.get("object") or not text:
            return li_error(422, "ERROR :: /message/text :: field is required but not found and has no default value")
        parent = body.get("parentComment", "")
        if target in self.comments:
            top = self.comments[target]
            if top["parent"]:
                return li_error(422, "Nested comments are only one level deep", code="UNPROCESSABLE_ENTITY")
            if parent != target or body["object"] != top["object"]:
                return li_error(422, "ERROR :: /parentComment :: must be the comment in the request path")
        elif target not in self.posts or parent:
            return li_error(404, "Not Found", code="NOT_FOUND")
        urn = self.add_comment(target, text, actor=actor)
        node = self.render_comment(self.comments[urn])
        return Response(201, json=node, headers={"x-restli-id": urn})

    @route("GET", r"/rest/organizationalEntityShareStatistics")
    def share_statistics(self, request: Request) -> Response:
        info, error = self.authenticate(request)
        if error:
            return error
        org = request.arg("organizationalEntity")
        if request.arg("q") != "organizationalEntity" or not self.administers(info["member"], org):
            return self.denied("organizationalEntityShareStatistics.FINDER-organizationalEntity")
        raw = request.arg("shares") or request.arg("ugcPosts")
        urns = re.findall(r"urn:li:\w+:\d+", raw)
        elements = []
        for urn in urns:
            post = self.posts.get(urn)
            if post is None or post["author"] != org:
                continue
            stats = post["stats"]
            total = {
                "uniqueImpressionsCount": stats["impressions"],
                "shareCount": stats["shares"],
                "engagement": 0.0,
                "clickCount": stats["clicks"],
                "likeCount": stats["likes"],
                "impressionCount": stats["impressions"],
                "commentCount": stats["comments"],
            }
            key = "share" if urn.startswith("urn:li:share:") else "ugcPost"
            elements.append({"totalShareStatistics": total, key: urn, "organizationalEntity": org})
        return Response(json={"paging": {"count": 10, "start": 0, "links": []}, "elements": elements})


def _images_of(content: dict[str, Any]) -> list[dict[str, Any]]:
    if "media" in content:
        return [content["media"]]
    return list((content.get("multiImage") or {}).get("images", []))


FAKES = {"linkedin": LinkedInFake}
