"""The inbox of a LinkedIn organisation page: comments on its recent posts (Community Management).

- ``GET /rest/posts?q=author`` (the last :data:`~terrain.networks.inbound.RECENT_POSTS`), then for
  each ``GET /rest/socialActions/{post urn}/comments`` (``start``/``count`` paging), and for the
  comments that have answers ``GET /rest/socialActions/{comment urn}/comments``;
  https://learn.microsoft.com/linkedin/marketing/community-management/shares/comments-api
- answers: ``POST /rest/socialActions/{comment urn}/comments`` with ``actor`` (the page),
  ``object`` (the post) and ``parentComment``. LinkedIn nests one level: an answer to an answer
  goes under the top comment. No idempotency key: :func:`reply` first looks for the page's own
  answer with the same text under that comment.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.utils.translation import gettext as _

from terrain.networks.base import (
    InboundItem,
    InboundPage,
    PermanentError,
    RemotePost,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.inbound import RECENT_POSTS, PostCursor, parse_time

if TYPE_CHECKING:
    from terrain.networks.linkedin.connector import _Api

COMMENTS_PAGE = 100
#: Pages of comments read per post and per call (500 comments).
PAGES_PER_POST = 5
#: Top comments whose answers are read, per post and per call (the most recent ones).
NESTED_PER_POST = 10
#: How far back :func:`reply` looks for an answer already sent, in milliseconds.
FIND_WINDOW_MS = 24 * 3600 * 1000
COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<object>urn:li:[a-zA-Z]+:[^,]+),(?P<id>[^)]+)\)$")


def _q(value: str) -> str:
    return quote(value, safe="")


def _strict(api: _Api, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """A call whose answer must be a JSON object: anything else is a transient fault, not an empty list."""
    response = api.request(method, path, **kwargs)
    try:
        body = response.json()
    except ValueError as exc:
        raise TransientError(_("LinkedIn sent an unreadable answer.")) from exc
    if not isinstance(body, dict):
        raise TransientError(_("LinkedIn sent an unreadable answer."))
    return body


def _comments(api: _Api, target: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in range(PAGES_PER_POST):
        start = page * COMMENTS_PAGE
        body = _strict(api, "GET", f"/rest/socialActions/{_q(target)}/comments?start={start}&count={COMMENTS_PAGE}")
        elements = body.get("elements") if isinstance(body.get("elements"), list) else []
        found.extend(e for e in elements if isinstance(e, dict))
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
        total = paging.get("total")
        if len(elements) < COMMENTS_PAGE or (isinstance(total, int) and start + len(elements) >= total):
            break
    return found


def fetch_comments(api: _Api, org_urn: str, cursor: str) -> InboundPage:
    state = PostCursor(cursor)
    posts = _strict(api, "GET", f"/rest/posts?author={_q(org_urn)}&q=author&count={RECENT_POSTS}&sortBy=LAST_MODIFIED")
    post_urns = [
        str(p["id"]) for p in posts.get("elements") or [] if isinstance(p, dict) and isinstance(p.get("id"), str)
    ]
    items: list[InboundItem] = []
    for post_urn in post_urns:
        read: list[tuple[InboundItem, bool]] = []
        tops = _comments(api, post_urn)
        for comment in tops:
            item = _comment_item(comment, post_urn=post_urn, org_urn=org_urn)
            if item is not None:
                read.append((item, _is_ours(comment, org_urn)))
        answered = [c for c in tops if _answers(c) > 0 and _urn(c)]
        answered.sort(key=lambda c: _time(c), reverse=True)
        for comment in answered[:NESTED_PER_POST]:
            for nested in _comments(api, _urn(comment)):
                item = _comment_item(
                    nested, post_urn=post_urn, org_urn=org_urn, top=_urn(comment), top_ours=_is_ours(comment, org_urn)
                )
                if item is not None:
                    read.append((item, _is_ours(nested, org_urn)))
        for item, mine in sorted(read, key=lambda pair: pair[0].created_at):
            if state.is_new(post_urn, item.created_at, item.remote_id):
                state.advance(post_urn, item.created_at, item.remote_id)
                if not mine:
                    items.append(item)
    state.keep_only(post_urns)
    items.sort(key=lambda item: item.created_at)
    return InboundPage(items=tuple(items), cursor=state.dumps())


def _urn(comment: dict[str, Any]) -> str:
    value = comment.get("commentUrn") or comment.get("$URN") or ""
    return value if isinstance(value, str) else ""


def _time(comment: dict[str, Any]) -> int:
    created = comment.get("created") if isinstance(comment.get("created"), dict) else {}
    value = created.get("time")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _answers(comment: dict[str, Any]) -> int:
    summary = comment.get("commentsSummary") if isinstance(comment.get("commentsSummary"), dict) else {}
    count = summary.get("aggregatedTotalComments") or summary.get("totalFirstLevelComments") or 0
    return count if isinstance(count, int) else 0


def _is_ours(comment: dict[str, Any], org_urn: str) -> bool:
    return org_urn in (comment.get("actor"), comment.get("agent"))


def _comment_item(
    comment: dict[str, Any], *, post_urn: str, org_urn: str, top: str = "", top_ours: bool = False
) -> InboundItem | None:
    urn, stamp = _urn(comment), _time(comment)
    message = comment.get("message") if isinstance(comment.get("message"), dict) else None
    if not urn or not stamp or message is None:
        return None
    created = parse_time(stamp)
    if created is None:
        return None
    actor = comment.get("actor") if isinstance(comment.get("actor"), str) else ""
    return InboundItem(
        remote_id=urn,
        kind="comment",
        text=str(message.get("text") or ""),
        created_at=created,
        # LinkedIn gives the author's URN only; resolving names needs another permission.
        author_handle=actor,
        url=f"https://www.linkedin.com/feed/update/{post_urn}/?commentUrn={_q(urn)}",
        parent=top or post_urn,
        reply_to=top or urn,
        parent_is_ours=top_ours if top else True,
    )


def reply(api: _Api, org_urn: str, to: str, text: str) -> RemotePost:
    match = COMMENT_URN.match(to)
    if not match:
        raise PermanentError(_("LinkedIn answered with an error: %(detail)s") % {"detail": to})
    since = (time.time() * 1000) - FIND_WINDOW_MS
    wanted = " ".join(text.split())
    for answer in _comments(api, to):
        body = answer.get("message") if isinstance(answer.get("message"), dict) else {}
        if (
            _is_ours(answer, org_urn)
            and " ".join(str(body.get("text") or "").split()) == wanted
            and _time(answer) >= since
        ):
            return RemotePost(remote_id=_urn(answer))
    response = api.request(
        "POST",
        f"/rest/socialActions/{_q(to)}/comments",
        json={"actor": org_urn, "object": match.group("object"), "message": {"text": text}, "parentComment": to},
    )
    try:
        created = response.json() if response.content else {}
    except ValueError:
        created = {}
    urn = (created.get("commentUrn") if isinstance(created, dict) else "") or response.headers.get("x-restli-id", "")
    if not urn:
        raise UncertainOutcome(_("LinkedIn accepted the comment without giving its identifier."))
    return RemotePost(remote_id=str(urn))
