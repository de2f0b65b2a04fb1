"""The inbox of an Instagram professional account: comments on its recent media.

- ``GET /{ig-user-id}/media`` (the last :data:`~terrain.networks.inbound.RECENT_POSTS`), then
  for each ``GET /{ig-media-id}/comments`` with their ``replies``
  (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments).
  The edge has no ``since``: comments come newest first and the reading of a media stops at
  the first page holding only comments already read.
- answers: ``POST /{ig-comment-id}/replies`` (Instagram answers top comments only, so an
  answer to a reply goes under its top comment;
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies).
  No idempotency key: :func:`reply` first looks for the account's own answer with the same text.
"""

from __future__ import annotations

from typing import Any

from terrain.networks.base import InboundItem, InboundPage, RemotePost
from terrain.networks.facebook import graph
from terrain.networks.inbound import RECENT_POSTS, PostCursor, parse_time

COMMENTS_PAGE = 50
#: Pages of comments read per media and per call. Newest first, so a media with more new comments
#: than this (a thousand, at the first reading of a post gone viral) loses its oldest: the known limit.
PAGES_PER_MEDIA = 20
USER_FIELDS = "id,text,timestamp,username,from{id,username}"
COMMENT_FIELDS = f"{USER_FIELDS},replies{{{USER_FIELDS}}}"


def fetch_comments(client: graph.GraphClient, ig_user: str, cursor: str) -> InboundPage:
    state = PostCursor(cursor)
    media = client.call("GET", f"{ig_user}/media", params={"fields": "id,timestamp,permalink", "limit": RECENT_POSTS})
    found = [m for m in _data(media) if isinstance(m, dict) and m.get("id")]
    items: list[InboundItem] = []
    for medium in found:
        media_id = str(medium["id"])
        read = _new_comments(client, state, media_id=media_id, ig_user=ig_user, permalink=medium.get("permalink"))
        for item, mine in sorted(read, key=lambda pair: pair[0].created_at):
            state.advance(media_id, item.created_at, item.remote_id)
            if not mine:
                items.append(item)
    state.keep_only([str(m["id"]) for m in found])
    items.sort(key=lambda item: item.created_at)
    return InboundPage(items=tuple(items), cursor=state.dumps())


def _new_comments(
    client: graph.GraphClient, state: PostCursor, *, media_id: str, ig_user: str, permalink: Any
) -> list[tuple[InboundItem, bool]]:
    """The comments and replies of one media not read yet, each with whether it is the account's own."""
    params: dict[str, Any] = {"fields": COMMENT_FIELDS, "limit": COMMENTS_PAGE}
    read: list[tuple[InboundItem, bool]] = []
    for _page in range(PAGES_PER_MEDIA):
        answer = client.call("GET", f"{media_id}/comments", params=params)
        fresh = False
        for comment in _data(answer):
            top = _comment_item(comment, media_id=media_id, permalink=permalink)
            if top is None:
                continue
            replies = comment.get("replies") if isinstance(comment.get("replies"), dict) else {}
            pairs = [(top, _is_ours(comment, ig_user))] + [
                (answer_item, _is_ours(r, ig_user))
                for r in _data(replies)
                if (
                    answer_item := _comment_item(
                        r, media_id=media_id, permalink=permalink, top=top.remote_id, ours=_is_ours(comment, ig_user)
                    )
                )
                is not None
            ]
            for item, mine in pairs:
                if state.is_new(media_id, item.created_at, item.remote_id):
                    fresh = True  # a reply may be new under an old comment: keep reading while anything is
                    read.append((item, mine))
        paging = answer.get("paging") if isinstance(answer, dict) else None
        after = ((paging or {}).get("cursors") or {}).get("after") if isinstance(paging, dict) else None
        if not (fresh and after and isinstance(paging, dict) and paging.get("next")):
            break
        params = {**params, "after": after}
    return read


def _is_ours(comment: dict[str, Any], ig_user: str) -> bool:
    author = comment.get("from") if isinstance(comment.get("from"), dict) else {}
    return str(author.get("id") or "") == ig_user


def _comment_item(
    comment: Any, *, media_id: str, permalink: Any, top: str = "", ours: bool = False
) -> InboundItem | None:
    if not isinstance(comment, dict) or not comment.get("id"):
        return None
    stamp = comment.get("timestamp")
    created = parse_time(stamp) if isinstance(stamp, str) else None  # ISO 8601 here, never a number
    if created is None:
        return None
    username = str(comment.get("username") or "")
    return InboundItem(
        remote_id=str(comment["id"]),
        kind="comment",
        text=str(comment.get("text") or ""),
        created_at=created,
        author_handle=f"@{username}" if username else "",
        author_name=username,
        author_url=f"https://www.instagram.com/{username}/" if username else "",
        url=str(permalink or ""),
        parent=top or media_id,
        reply_to=top or str(comment["id"]),  # Instagram answers top comments only
        parent_is_ours=ours if top else True,
    )


def reply(client: graph.GraphClient, ig_user: str, to: str, text: str) -> RemotePost:
    wanted = graph.fingerprint(text)
    existing = client.call("GET", f"{to}/replies", params={"fields": "id,text,timestamp,from{id,username}"})
    for answer in _data(existing):
        if (
            isinstance(answer, dict)
            and _is_ours(answer, ig_user)
            and graph.fingerprint(str(answer.get("text") or "")) == wanted
            and graph.recent(str(answer.get("timestamp") or ""))
        ):
            return RemotePost(remote_id=str(answer["id"]))
    created = client.call("POST", f"{to}/replies", data={"message": text})
    return RemotePost(remote_id=str(created["id"]))


def _data(answer: Any) -> list[Any]:
    data = answer.get("data") if isinstance(answer, dict) else None
    return data if isinstance(data, list) else []
