"""A local Telegram Bot API, written from https://core.telegram.org/bots/api.

``/bot<token>/<method>`` with parameters in the query string, a JSON body, a URL-encoded
or a multipart form (files as ``attach://<name>``). Answers ``{"ok": true, "result": ...}``
or ``{"ok": false, "error_code": n, "description": "..."}``; a 429 carries
``parameters.retry_after``. Implemented: getMe, getChat, getChatMember,
getChatMemberCount, sendMessage (``reply_parameters``), sendPhoto, sendMediaGroup,
deleteMessage, getUpdates (``offset`` confirms the updates below it; ``allowed_updates`` is
remembered and applies to the updates created afterwards, as Telegram does).

A channel may have a linked discussion group (``link_discussion_group``): each channel post is
then forwarded automatically into the group (``is_automatic_forward``, ``forward_origin``), and
people comment by replying to that forward. The bot, administrator of both, is sent the
channel's posts (``channel_post``) and the group's messages (``message``) as updates.

Tests drive it: ``revoke_token`` (BotFather's /revoke: 401 afterwards), ``kick_bot``
(403), ``demote_bot`` (no right to post), ``rate_limit_next``, ``channel_posts``; for the
inbox ``comment`` (someone comments a channel post), ``group_message``, ``add_raw_update``.
"""

from __future__ import annotations

import json as jsonlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from terrain.networks.fakes.server import FakeServer, Request, Response, route

MAX_TEXT = 4096
MAX_CAPTION = 1024
BOT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"  # noqa: S105 (the fake bot, as in the Bot API docs)


def ok(result: Any) -> Response:
    return Response(json={"ok": True, "result": result})


def error(code: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(code, json=body)


def utf16_length(text: str) -> int:
    """Telegram counts text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Channel:
    id: int
    username: str
    title: str
    members: int
    bot_status: str = "administrator"  # "administrator" | "member" | "left" | "kicked"
    can_post: bool = True
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 1
    kind: str = "channel"  # or "supergroup" (a discussion group)
    linked_chat_id: int | None = None


class FakeTelegram(FakeServer):
    name = "telegram"

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        """Back to the initial state: one bot, administrator of one channel (lets tests share a server)."""
        with self.lock:
            self.faults.clear()
            self.requests.clear()
            self.bot = {"id": 123456, "is_bot": True, "first_name": "Terrain", "username": "terrain_bot"}
            self.tokens = {BOT_TOKEN}
            self.channels = {-1001234567890: Channel(-1001234567890, "syndicat_info", "Syndicat Info", members=321)}
            # Bot API updates: kept until confirmed by a getUpdates with a higher offset.
            self.updates: list[dict[str, Any]] = []
            self.next_update_id = 700000000
            self.webhook = ""
            self.allowed_updates: list[str] | None = None  # None: every kind the inbox and find_published read

    def set_webhook(self, url: str = "https://example.org/hook") -> None:
        """A webhook is set: getUpdates answers 409, as Telegram does."""
        with self.lock:
            self.webhook = url

    def age_updates(self, seconds: int) -> None:
        """Make the pending updates' posts ``seconds`` older (the confirmation of old ones)."""
        with self.lock:
            for update in self.updates:
                (update.get("channel_post") or update.get("message") or {"date": 0})["date"] -= seconds

    def link_discussion_group(self, username: str = "syndicat_info") -> Channel:
        """Give the channel a discussion group (comments), the bot administrator of it."""
        with self.lock:
            channel = self._by_name(username)
            group = Channel(channel.id - 1000, f"{username}_chat", f"{channel.title} (discussion)", members=12)
            group.kind, group.linked_chat_id, channel.linked_chat_id = "supergroup", channel.id, group.id
            self.channels[group.id] = group
            return group

    def _add_update(self, kind: str, message: dict[str, Any]) -> None:
        if self.allowed_updates is None or kind in self.allowed_updates:
            self.updates.append({"update_id": self.next_update_id, kind: dict(message)})
            self.next_update_id += 1

    def _forward_of(self, channel: Channel, post_id: int) -> dict[str, Any]:
        group = self.channels[channel.linked_chat_id or 0]
        return next(
            m for m in group.messages.values()
            if m.get("is_automatic_forward") and (m.get("forward_origin") or {}).get("message_id") == post_id
        )  # fmt: skip

    def comment(self, post_id: int, text: str, *, first_name: str = "Léa", username: str = "lea", user_id: int = 0,
                channel: str = "syndicat_info", to_message: int = 0) -> dict[str, Any]:  # fmt: skip
        """Someone comments the channel's post ``post_id`` (or, with ``to_message``, answers a
        message of the discussion group): a message in the group replying to it."""
        with self.lock:
            owner = self._by_name(channel)
            group = self.channels[owner.linked_chat_id or 0]
            target = group.messages[to_message] if to_message else self._forward_of(owner, post_id)
            person = {"id": user_id or 5000 + len(username), "is_bot": False, "first_name": first_name}
            if username:
                person["username"] = username
            replied = {k: v for k, v in target.items() if k != "reply_to_message"}
            thread = target.get("message_thread_id") or target["message_id"]
            return self._post(group, text=text, reply_to_message=replied, message_thread_id=thread, **{"from": person})

    def group_message(self, text: str, *, channel: str = "syndicat_info") -> dict[str, Any]:
        """A message in the discussion group that answers nothing (talk among members)."""
        with self.lock:
            group = self.channels[self._by_name(channel).linked_chat_id or 0]
            person = {"id": 6001, "is_bot": False, "first_name": "Marc"}
            return self._post(group, text=text, **{"from": person})

    def add_raw_update(self, update: Any) -> None:
        with self.lock:
            if isinstance(update, dict):
                update.setdefault("update_id", self.next_update_id)
            self.updates.append(update)
            self.next_update_id += 1

    # Test controls -----------------------------------------------------
    def revoke_token(self, token: str = BOT_TOKEN) -> None:
        with self.lock:
            self.tokens.discard(token)

    expire_token = revoke_token  # bot tokens never expire: they are revoked

    def kick_bot(self, username: str = "syndicat_info") -> None:
        with self.lock:
            self._by_name(username).bot_status = "kicked"

    def demote_bot(self, username: str = "syndicat_info") -> None:
        with self.lock:
            self._by_name(username).can_post = False

    def rate_limit_next(self, retry_after: int = 35, *, path_contains: str = "") -> None:
        self.fail_next(
            429,
            path_contains=path_contains,
            json={
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            },
        )

    def channel_posts(self, username: str = "syndicat_info") -> list[dict[str, Any]]:
        return list(self._by_name(username).messages.values())

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            posts = [
                {
                    "account": f"@{channel.username}",
                    "text": message.get("text") or message.get("caption") or "",
                    "at": datetime.fromtimestamp(message["date"], UTC).isoformat(),
                    "id": str(message["message_id"]),
                }
                for channel in self.channels.values()
                if channel.kind == "channel"  # a discussion group holds forwards and comments
                for message in channel.messages.values()
            ]
        return sorted(posts, key=lambda post: post["at"], reverse=True)

    # Helpers -----------------------------------------------------------
    def _by_name(self, username: str) -> Channel:
        return next(c for c in self.channels.values() if c.username == username)

    def _chat(self, chat_id: Any) -> Channel | None:
        value = str(chat_id or "")
        if value.startswith("@"):
            return next((c for c in self.channels.values() if c.username == value[1:]), None)
        try:
            return self.channels.get(int(value))
        except ValueError:
            return None

    @staticmethod
    def _params(request: Request) -> dict[str, Any]:
        params: dict[str, Any] = {key: values[-1] for key, values in request.query.items()}
        content_type = request.header("content-type")
        if content_type.startswith("application/json"):
            params.update(request.json() or {})
        elif request.body:
            params.update(request.form())
        return params

    def _chat_dict(self, channel: Channel) -> dict[str, Any]:
        return {"id": channel.id, "type": channel.kind, "title": channel.title, "username": channel.username}

    def _post(self, channel: Channel, *, by_bot: bool = False, **content: Any) -> dict[str, Any]:
        message = {"message_id": channel.next_id, "chat": self._chat_dict(channel), "date": int(time.time()), **content}
        if channel.kind == "channel":
            message["sender_chat"] = self._chat_dict(channel)
        elif by_bot:
            message["from"] = self.bot
        channel.messages[channel.next_id] = message
        channel.next_id += 1
        if channel.bot_status != "administrator":
            return message
        if channel.kind == "channel":  # an administrator bot is sent every post of its channel
            self._add_update("channel_post", message)
            if channel.linked_chat_id in self.channels:  # and the post appears in the discussion group
                group = self.channels[channel.linked_chat_id]
                origin = {"type": "channel", "chat": self._chat_dict(channel), "message_id": message["message_id"],
                          "date": message["date"]}  # fmt: skip
                forward = {
                    "sender_chat": self._chat_dict(channel),
                    "is_automatic_forward": True,
                    "forward_origin": origin,
                    "forward_from_chat": self._chat_dict(channel),  # the fields before Bot API 7.0
                    "forward_from_message_id": message["message_id"],
                    "forward_date": message["date"],
                }
                for key in ("text", "caption", "photo", "media_group_id"):
                    if key in content:
                        forward[key] = content[key]
                self._post(group, **forward)
        elif not by_bot:  # a bot is not sent its own messages
            self._add_update("message", message)
        return message

    def _writable(self, params: dict[str, Any]) -> Channel | Response:
        channel = self._chat(params.get("chat_id"))
        if channel is None:
            return error(400, "Bad Request: chat not found")
        if channel.bot_status == "kicked":
            return error(403, "Forbidden: bot was kicked from the channel chat")
        if channel.bot_status != "administrator":
            return error(403, "Forbidden: bot is not a member of the channel chat")
        if not channel.can_post:
            return error(400, "Bad Request: need administrator rights in the channel chat")
        return channel

    def _photo(self, value: Any, params: dict[str, Any]) -> list[dict[str, Any]] | Response:
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if not isinstance(value, bytes) or not value.startswith((b"\x89PNG", b"\xff\xd8", b"RIFF", b"GIF8")):
            return error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        file_id = f"AgAC{abs(hash(value)) % 10**12}"
        return [{"file_id": file_id, "file_unique_id": file_id[-8:], "width": 1, "height": 1, "file_size": len(value)}]

    # Methods -----------------------------------------------------------
    @route("POST", r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
    def post(self, request: Request) -> Response:
        return self.call(request)

    @route("GET", r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
    def get(self, request: Request) -> Response:
        return self.call(request)

    def call(self, request: Request) -> Response:
        if request.params["token"] not in self.tokens:
            return error(401, "Unauthorized")
        # A bot token starts with the bot's id (each token of the sandbox is its own bot).
        prefix = request.params["token"].partition(":")[0]
        self.bot = {**self.bot, "id": int(prefix) if prefix.isdigit() else self.bot["id"]}
        handler = getattr(self, f"m_{request.params['method']}", None)
        if handler is None:
            return error(404, "Not Found")
        return handler(self._params(request))

    def m_getMe(self, params: dict[str, Any]) -> Response:
        return ok({**self.bot, "can_join_groups": True, "can_read_all_group_messages": False})

    def m_getChat(self, params: dict[str, Any]) -> Response:
        channel = self._chat(params.get("chat_id"))
        if channel is None or channel.bot_status == "kicked":
            return error(400, "Bad Request: chat not found")
        linked = {"linked_chat_id": channel.linked_chat_id} if channel.linked_chat_id else {}
        return ok({**self._chat_dict(channel), **linked, "accent_color_id": 0, "max_reaction_count": 11})

    def m_getChatMemberCount(self, params: dict[str, Any]) -> Response:
        channel = self._chat(params.get("chat_id"))
        if channel is None:
            return error(400, "Bad Request: chat not found")
        if channel.bot_status == "kicked":
            return error(403, "Forbidden: bot was kicked from the channel chat")
        return ok(channel.members)

    def m_getChatMember(self, params: dict[str, Any]) -> Response:
        channel = self._chat(params.get("chat_id"))
        if channel is None:
            return error(400, "Bad Request: chat not found")
        if str(params.get("user_id")) != str(self.bot["id"]):
            return error(400, "Bad Request: user not found")
        member: dict[str, Any] = {"user": self.bot, "status": channel.bot_status}
        if channel.bot_status == "administrator":
            member.update(can_post_messages=channel.can_post, can_delete_messages=True, can_be_edited=False)
        return ok(member)

    def m_sendMessage(self, params: dict[str, Any]) -> Response:
        channel = self._writable(params)
        if isinstance(channel, Response):
            return channel
        text = str(params.get("text") or "")
        if not text.strip():
            return error(400, "Bad Request: message text is empty")
        if utf16_length(text) > MAX_TEXT:
            return error(400, "Bad Request: message is too long")
        extra: dict[str, Any] = {}
        reply = params.get("reply_parameters")
        if isinstance(reply, str):
            reply = jsonlib.loads(reply)
        if isinstance(reply, dict):
            target = channel.messages.get(int(reply.get("message_id") or 0))
            if target is None:
                return error(400, "Bad Request: message to be replied not found")
            extra["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
            extra["message_thread_id"] = target.get("message_thread_id") or target["message_id"]
        return ok(self._post(channel, text=text, by_bot=True, **extra))

    def m_sendPhoto(self, params: dict[str, Any]) -> Response:
        channel = self._writable(params)
        if isinstance(channel, Response):
            return channel
        caption = str(params.get("caption") or "")
        if utf16_length(caption) > MAX_CAPTION:
            return error(400, "Bad Request: message caption is too long")
        photo = self._photo(params.get("photo"), params)
        if isinstance(photo, Response):
            return photo
        return ok(self._post(channel, photo=photo, **({"caption": caption} if caption else {})))

    def m_sendMediaGroup(self, params: dict[str, Any]) -> Response:
        channel = self._writable(params)
        if isinstance(channel, Response):
            return channel
        media = params.get("media")
        items = jsonlib.loads(media) if isinstance(media, str) else media
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            return error(400, "Bad Request: wrong number of messages in a media group (must be 2-10)")
        group_id = str(int(time.time() * 1000))
        photos = []
        for item in items:
            if utf16_length(str(item.get("caption") or "")) > MAX_CAPTION:
                return error(400, "Bad Request: message caption is too long")
            photo = self._photo(item.get("media"), params)
            if isinstance(photo, Response):
                return photo
            photos.append((photo, item.get("caption")))
        sent = [
            self._post(channel, photo=photo, media_group_id=group_id, **({"caption": caption} if caption else {}))
            for photo, caption in photos
        ]
        return ok(sent)

    def m_getUpdates(self, params: dict[str, Any]) -> Response:
        """core.telegram.org/bots/api#getupdates: the oldest unconfirmed updates; an ``offset``
        confirms (forgets) every update below it. Refused while a webhook is set."""
        if self.webhook:
            return error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = max(1, min(int(params.get("limit") or 100), 100))
        offset = int(params.get("offset") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = jsonlib.loads(allowed)
        with self.lock:
            if isinstance(allowed, list):  # remembered for the updates created from now on
                self.allowed_updates = allowed or None
            if offset:
                self.updates = [u for u in self.updates if not isinstance(u, dict) or u["update_id"] >= offset]
            return ok([dict(u) if isinstance(u, dict) else u for u in self.updates[:limit]])

    def m_deleteMessage(self, params: dict[str, Any]) -> Response:
        channel = self._writable(params)
        if isinstance(channel, Response):
            return channel
        if channel.messages.pop(int(params.get("message_id") or 0), None) is None:
            return error(400, "Bad Request: message to delete not found")
        return ok(True)
