"""The inbox of a Facebook Page: comments on its recent posts and Messenger conversations.

- comments: ``GET /{page-id}/feed`` (the last :data:`~terrain.networks.inbound.RECENT_POSTS`
  posts), then for each ``GET /{post-id}/comments?filter=stream&order=chronological&since=``
  (``filter=stream`` gives the replies to comments too, with their ``parent``);
  https://developers.facebook.com/docs/graph-api/reference/object/comments
- messages: ``GET /{page-id}/conversations?platform=messenger&fields=messages{...}``;
  https://developers.facebook.com/docs/graph-api/reference/page/conversations
- answers: ``POST /{comment-id}/comments`` (a comment's reply; Facebook nests one level
  only, so a reply to a reply answers its top comment) and ``POST /{page-id}/messages`` with
  ``recipient``, ``messaging_type=RESPONSE`` (https://developers.facebook.com/docs/messenger-platform/send-messages).

Neither answer has an idempotency key: before sending, :func:`reply` looks for an answer of
the Page with the same text under the same comment (or in the same conversation) in the last
:data:`~terrain.networks.facebook.graph.FIND_WINDOW`, so a retry after an uncertain outcome
never answers twice.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from terrain.networks.base import AuthError, InboundItem, InboundPage, PermanentError, RejectedContent, RemotePost
from terrain.networks.facebook import graph
from terrain.networks.inbound import RECENT_POSTS, PostCursor, parse_time

#: Comments read per post and per call (the Graph API's most is 100).
COMMENTS_PAGE = 100
#: Conversations and messages per conversation read per call.
CONVERSATIONS_PAGE = 25
MESSAGES_PER_CONVERSATION = 20
#: ``reply_to`` of a Messenger item: this prefix and the sender's page-scoped id.
MESSENGER = "messenger:"
COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},permalink_url"
#: Messenger's answer outside the 24-hour window (code 10, subcode 2018278): not an expired token.
OUTSIDE_WINDOW = 2018278


def fetch_comments(client: graph.GraphClient, page_id: str, cursor: str) -> InboundPage:
    state = PostCursor(cursor)
    posts = client.call("GET", f"{page_id}/feed", params={"fields": "id,created_time", "limit": RECENT_POSTS})
    post_ids = [str(post["id"]) for post in _data(posts) if isinstance(post, dict) and post.get("id")]
    items: list[InboundItem] = []
    more = False
    for post_id in post_ids:
        since = state.since(post_id)
        params: dict[str, Any] = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": COMMENTS_PAGE,
        }
        if since is not None:
            params["since"] = int(since)  # whole seconds, inclusive: ``is_new`` drops what was read
        answer = client.call("GET", f"{post_id}/comments", params=params)
        comments = _data(answer)
        paging = answer.get("paging") if isinstance(answer, dict) else None
        more = more or (len(comments) >= COMMENTS_PAGE and isinstance(paging, dict) and bool(paging.get("next")))
        # The ids of the Page's own comments: a reply under one of them answers us.
        ours = {str(c.get("id")) for c in comments if isinstance(c, dict) and _author(c).get("id") == page_id}
        for comment in comments:
            item = _comment_item(comment, post_id=post_id, page_id=page_id, ours=ours)
            if item is None:
                continue
            if state.is_new(post_id, item.created_at, item.remote_id):
                state.advance(post_id, item.created_at, item.remote_id)
                if _author(comment).get("id") != page_id:
                    items.append(item)
    state.keep_only(post_ids)
    items.sort(key=lambda item: item.created_at)
    return InboundPage(items=tuple(items), cursor=state.dumps(), more=more)


def _comment_item(comment: Any, *, post_id: str, page_id: str, ours: set[str]) -> InboundItem | None:
    if not isinstance(comment, dict) or not comment.get("id"):
        return None
    stamp = comment.get("created_time")
    created = parse_time(stamp) if isinstance(stamp, str) else None  # ISO 8601 here, never a number
    if created is None:
        return None
    comment_id = str(comment["id"])
    parent = comment.get("parent") if isinstance(comment.get("parent"), dict) else {}
    parent_id = str(parent.get("id") or "")
    author = _author(comment)
    return InboundItem(
        remote_id=comment_id,
        kind="comment",
        text=str(comment.get("message") or ""),
        created_at=created,
        author_name=str(author.get("name") or ""),
        author_url=f"https://www.facebook.com/{author['id']}" if author.get("id") else "",
        url=str(comment.get("permalink_url") or ""),
        parent=parent_id or post_id,
        # Facebook nests one level: an answer to a reply goes under its top comment.
        reply_to=parent_id or comment_id,
        parent_is_ours=not parent_id or parent_id in ours,
    )


def fetch_messages(client: graph.GraphClient, page_id: str, cursor: str) -> InboundPage:
    """Messages people sent the Page after ``cursor`` (``{"at": seconds, "ids": [...]}``: the newest
    message read and the ids read at that second)."""
    try:
        state = json.loads(cursor) if cursor else {}
    except ValueError:
        state = {}
    state = state if isinstance(state, dict) else {}
    at = float(state.get("at") or 0) if isinstance(state.get("at"), int | float) else 0.0
    seen = {str(i) for i in state.get("ids") or [] if isinstance(i, str | int)}
    answer = client.call(
        "GET",
        f"{page_id}/conversations",
        params={
            "platform": "messenger",
            "fields": f"id,updated_time,messages.limit({MESSAGES_PER_CONVERSATION}){{id,message,from,created_time}}",
            "limit": CONVERSATIONS_PAGE,
        },
    )
    items: list[InboundItem] = []
    for conversation in _data(answer):
        if not isinstance(conversation, dict) or not conversation.get("id"):
            continue
        updated = parse_time(conversation.get("updated_time"))
        if updated is not None and updated.timestamp() < at:
            continue  # newest first: nothing new in it
        for message in _data(conversation.get("messages")):
            item = _message_item(message, conversation_id=str(conversation["id"]), page_id=page_id)
            if item is None:
                continue
            stamp = item.created_at.timestamp()
            if stamp > at or (stamp == at and item.remote_id not in seen):
                items.append(item)
    items.sort(key=lambda item: item.created_at)
    if items:
        newest = max(item.created_at.timestamp() for item in items)
        ids = [item.remote_id for item in items if item.created_at.timestamp() == newest]
        seen = (seen | set(ids)) if newest == at else set(ids)
        at = newest
    new_cursor = json.dumps({"at": at, "ids": sorted(seen)[-50:]}, separators=(",", ":")) if at else cursor
    return InboundPage(items=tuple(items), cursor=new_cursor)


def _message_item(message: Any, *, conversation_id: str, page_id: str) -> InboundItem | None:
    if not isinstance(message, dict) or not message.get("id"):
        return None
    created = parse_time(message.get("created_time"))
    author = _author(message)
    if created is None or not author.get("id") or str(author["id"]) == page_id:
        return None  # unreadable, or the Page's own message
    return InboundItem(
        remote_id=str(message["id"]),
        kind="message",
        text=str(message.get("message") or ""),
        created_at=created,
        author_name=str(author.get("name") or ""),
        parent=conversation_id,  # one thread per conversation
        reply_to=f"{MESSENGER}{author['id']}",
    )


def reply(client: graph.GraphClient, page_id: str, to: str, text: str) -> RemotePost:
    if to.startswith(MESSENGER):
        return _answer_message(client, page_id, to.removeprefix(MESSENGER), text)
    existing = _our_answer(client, f"{to}/comments", page_id, text, field="message", time_field="created_time")
    if existing:
        return RemotePost(remote_id=existing, url="")
    answer = client.call("POST", f"{to}/comments", data={"message": text})
    return RemotePost(remote_id=str(answer["id"]), url="")


def _answer_message(client: graph.GraphClient, page_id: str, recipient: str, text: str) -> RemotePost:
    conversations = client.call(
        "GET",
        f"{page_id}/conversations",
        params={"platform": "messenger", "user_id": recipient, "fields": "messages{id,message,from,created_time}"},
    )
    wanted = graph.fingerprint(text)
    for conversation in _data(conversations):
        for message in _data((conversation or {}).get("messages") if isinstance(conversation, dict) else None):
            if (
                isinstance(message, dict)
                and _author(message).get("id") == page_id
                and graph.fingerprint(str(message.get("message") or "")) == wanted
                and graph.recent(str(message.get("created_time") or ""))
            ):
                return RemotePost(remote_id=str(message.get("id") or ""), url="")
    try:
        answer = client.call(
            "POST",
            f"{page_id}/messages",
            data={
                "recipient": json.dumps({"id": recipient}),
                "messaging_type": "RESPONSE",
                "message": json.dumps({"text": text}),
            },
        )
    except AuthError as exc:
        # Code 10 is a permission error, except this subcode: the person wrote more than 24 hours ago.
        if getattr(exc, "subcode", None) == OUTSIDE_WINDOW:
            raise RejectedContent(
                _("Messenger only allows an answer within 24 hours of the person's last message."), status=exc.status
            ) from exc
        raise
    if not answer.get("message_id"):
        raise PermanentError(_("The network answered with an error: %(detail)s") % {"detail": "message_id"})
    return RemotePost(remote_id=str(answer["message_id"]), url="")


def _our_answer(client: graph.GraphClient, path: str, me: str, text: str, *, field: str, time_field: str) -> str:
    """The id of an answer by ``me`` with this text under ``path`` in the last day, or ""."""
    answer = client.call(
        "GET",
        path,
        params={"fields": f"id,{field},{time_field},from{{id}}", "filter": "stream", "limit": COMMENTS_PAGE},
    )
    wanted = graph.fingerprint(text)
    for comment in _data(answer):
        if (
            isinstance(comment, dict)
            and _author(comment).get("id") == me
            and graph.fingerprint(str(comment.get(field) or "")) == wanted
            and graph.recent(str(comment.get(time_field) or ""))
        ):
            return str(comment.get("id") or "")
    return ""


def _data(answer: Any) -> list[Any]:
    data = answer.get("data") if isinstance(answer, dict) else None
    return data if isinstance(data, list) else []


def _author(node: dict[str, Any]) -> dict[str, Any]:
    author = node.get("from")
    if not isinstance(author, dict):
        return {}
    return {**author, "id": str(author.get("id") or "")}
