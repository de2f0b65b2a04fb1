"""A Telegram channel through the Bot API (https://core.telegram.org/bots/api), with httpx.

Connecting a channel (no redirect): the structure creates a bot with @BotFather, adds
it to the channel as an administrator allowed to post, and gives Terrain the bot
token and the channel (``@name`` or its numeric id). The connect screen then calls
``validate_credentials(AccountData(api_base, secrets={"bot_token": ..., "chat_id": "@name"}))``
which checks the token (``getMe``), the channel (``getChat``), that the bot may post
there (``getChatMember``) and reads the subscriber count (``getChatMemberCount``).

Limits of the Bot API, stated here once:

- photos have no alternative text on Telegram: ``Media.alt`` cannot be sent;
- a bot cannot read a channel's history; it is only sent each new post of the
  channel as an update, kept by Telegram for 24 hours until the bot confirms it:
  :meth:`find_published` looks there (see there for what it needs);
- there is no count of views, reactions or forwards for channel posts outside the
  client (MTProto) API: :meth:`fetch_metrics` has nothing to return.
"""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
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
from terrain.networks.sharing import ShareLink, ShareText

#: An uncertain post is looked for within minutes (the retry, or the lease of a killed
#: worker): updates about older posts may be confirmed, Telegram then forgets them.
CONFIRM_AFTER = timedelta(hours=1)
UPDATES_PAGE = 100  # the Bot API's largest page
MAX_UPDATE_PAGES = 20
#: What both readers of the updates (:meth:`find_published`, :meth:`fetch_inbound`) ask for:
#: Telegram remembers the last ``allowed_updates`` and creates only those updates afterwards.
ALLOWED_UPDATES = ["channel_post", "message"]
MAX_TEXT = 4096
MAX_CAPTION = 1024
#: 400 answers that mean the channel or the bot's rights are gone, not that the post is wrong.
ACCOUNT_PROBLEMS = ("chat not found", "need administrator rights", "not enough rights", "chat_write_forbidden")


def count_characters(text: str) -> int:
    """Characters of the text (the composer's rule for Telegram)."""
    return len(text)


class TelegramShare(ShareLink):
    def url(self, share: ShareText, *, instance: str = "") -> str:
        return "https://t.me/share/url?" + urlencode({"url": share.url, "text": self.text(share, with_url=False)})


def with_link(text: str, link: str) -> str:
    if not link or link in text:
        return text
    return f"{text.rstrip()}\n\n{link}"


class TelegramConnector(Connector):
    kind = "telegram"
    label = "Telegram"
    position = 60
    link_in_text = True
    share = TelegramShare()
    max_chars = MAX_TEXT  # MAX_CAPTION when the post has images
    max_media = 10  # a media group holds 2 to 10 photos
    default_api_base = "https://api.telegram.org"
    auth_flow = "bot_token"
    #: The Bot API has no per-post metrics (see :meth:`fetch_metrics`).
    has_post_metrics = False
    # core.telegram.org/bots/faq "My bot is hitting limits": no more than 20 messages
    # per minute in the same group or channel.
    rate_limit = RateLimit(calls=20, seconds=60)

    def count_characters(self, text: str) -> int:
        return count_characters(text)

    def limit(self, *, with_media: bool = False) -> int | None:
        return MAX_CAPTION if with_media else MAX_TEXT

    # Calls -------------------------------------------------------------
    def _call(
        self,
        account: AccountData,
        method: str,
        *,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        sending: bool = False,
    ) -> Any:
        token = account.secrets.get("bot_token")
        if not token:
            raise AuthError(_msg(_("No credentials are stored for this %(network)s account: reconnect it.")))
        url = f"{self.api_base(account)}/bot{token}/{method}"
        try:
            if files:
                response = httpx.post(url, data=params, files=files, timeout=self.timeout)
            else:
                response = httpx.post(url, json=params or {}, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise TransientError(unreachable("Telegram", error)) from error
        except httpx.TransportError as error:
            if sending:
                raise UncertainOutcome(no_answer("Telegram", error, sending=True)) from error
            raise TransientError(no_answer("Telegram", error, sending=False)) from error
        return _result(response, sending=sending)

    def _chat_id(self, account: AccountData) -> str:
        chat = account.remote_id or str(account.secrets.get("chat_id") or "")
        if not chat:
            raise AuthError(_msg(_("No credentials are stored for this %(network)s account: reconnect it.")))
        return chat

    # Account -----------------------------------------------------------
    def validate_credentials(self, account: AccountData) -> AccountInfo:
        bot = self._call(account, "getMe")
        chat_id = str(account.secrets.get("chat_id") or account.remote_id)
        chat = self._call(account, "getChat", params={"chat_id": chat_id})
        member = self._call(account, "getChatMember", params={"chat_id": chat["id"], "user_id": bot["id"]})
        if member.get("status") != "creator" and not member.get("can_post_messages"):
            raise AuthError(
                _("The bot @%(bot)s is not an administrator allowed to post in this channel.")
                % {"bot": bot.get("username")}
            )
        followers = self._call(account, "getChatMemberCount", params={"chat_id": chat["id"]})
        username = chat.get("username") or ""
        return AccountInfo(
            remote_id=str(chat["id"]),
            handle=f"@{username}" if username else str(chat["id"]),
            display_name=chat.get("title") or username,
            followers=int(followers),
            url=f"https://t.me/{username}" if username else "",
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return int(self._call(account, "getChatMemberCount", params={"chat_id": self._chat_id(account)}))

    # Posts -------------------------------------------------------------
    def publish(self, account: AccountData, content: Content) -> RemotePost:
        """One message; with images a photo (or an album) whose caption is the text.

        The alternative text of images cannot be sent: Telegram has no such field.
        """
        chat_id = self._chat_id(account)
        text = with_link(content.text, content.link)
        media = content.media[: self.max_media]
        if media and count_characters(text) > MAX_CAPTION:
            raise RejectedContent(
                _("Telegram limits the text of a post with images to %(count)s characters.") % {"count": MAX_CAPTION}
            )
        if not media:
            messages = [self._call(account, "sendMessage", params={"chat_id": chat_id, "text": text}, sending=True)]
        elif len(media) == 1:
            one = media[0]
            params = {"chat_id": chat_id, "caption": text}
            files = {"photo": (one.filename, one.data, one.mime_type)}
            messages = [self._call(account, "sendPhoto", params=params, files=files, sending=True)]
        else:
            album = [
                {"type": "photo", "media": f"attach://photo{i}", **({"caption": text} if i == 0 else {})}
                for i in range(len(media))
            ]
            files = {f"photo{i}": (m.filename, m.data, m.mime_type) for i, m in enumerate(media)}
            params = {"chat_id": chat_id, "media": json.dumps(album)}
            messages = self._call(account, "sendMediaGroup", params=params, files=files, sending=True)
        ids = [str(m["message_id"]) for m in messages]
        return RemotePost(remote_id=",".join(ids), url=_message_url(messages[0]))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        """Look for the post among the bot's updates (``getUpdates``, ``channel_post``).

        A bot cannot read its channel's history, but Telegram sends it every post of the
        channel as an update and keeps the updates 24 hours until the bot confirms them.
        Updates about posts older than :data:`CONFIRM_AFTER` are confirmed as they are
        read (two checks at once never hide a recent post from each other); the recent
        ones stay. This needs the bot to be Terrain's own (the connect screen says so)
        and no webhook on it. When the updates cannot tell (a webhook, or more recent
        posts than one page holds) this raises :class:`PermanentError` asking the author
        to look at the channel, rather than risk a second copy.
        """
        chat = self._chat_id(account)
        wanted = _same_text(with_link(content.text, content.link))
        cannot_tell = PermanentError(
            _(
                "Telegram gave no answer and its updates cannot tell whether the post went out: "
                "look at the channel, and publish the message again only if it is not there."
            )
        )
        params: dict[str, Any] = {"limit": UPDATES_PAGE, "timeout": 0, "allowed_updates": ALLOWED_UPDATES}
        old_before = time.time() - CONFIRM_AFTER.total_seconds()
        for _page in range(MAX_UPDATE_PAGES):
            try:
                updates = [u for u in self._updates(account, params) if isinstance(u, dict)]
            except PermanentError as error:
                if error.status == 409:  # a webhook takes the updates
                    raise cannot_tell from error
                raise
            # Only the old updates at the head are confirmed, and never a message of the
            # discussion group that the inbox may not have read yet (automatic forwards aside).
            old = list(itertools.takewhile(lambda u: _confirmable(u, old_before), updates))
            recent = updates[len(old) :]
            for update in recent:
                post = _post_of(update)
                if _in_chat(post, chat) and _same_text(post.get("text") or post.get("caption") or "") == wanted:
                    group = post.get("media_group_id")
                    album = [_post_of(u) for u in recent if group and _post_of(u).get("media_group_id") == group]
                    ids = [str(p["message_id"]) for p in album or [post]]
                    return RemotePost(remote_id=",".join(ids), url=_message_url(post))
            if not old:
                if len(updates) >= UPDATES_PAGE:
                    raise cannot_tell  # more recent posts than a page: ours may be beyond
                return None
            params["offset"] = old[-1]["update_id"] + 1  # confirms the old ones, then the next page
        raise cannot_tell

    def delete(self, account: AccountData, remote_id: str) -> None:
        """Delete the message (every photo of an album); one already gone counts as deleted."""
        chat_id = self._chat_id(account)
        for message_id in remote_id.split(","):
            try:
                self._call(account, "deleteMessage", params={"chat_id": chat_id, "message_id": int(message_id)})
            except PermanentError as error:
                if "not found" not in error.message:
                    raise

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        """Always empty: the Bot API gives no views, reactions or forwards of channel posts.

        (They need the client API, MTProto, with a member's account.) Followers over
        time are still collected by :meth:`fetch_followers`.
        """
        return Metrics()

    # Inbox -------------------------------------------------------------
    #: Comments: messages of the channel's linked discussion group that answer one of its posts.
    inbox_streams = ("comments",)
    can_search = False  # the Bot API has no search
    # The Bot API publishes no limit on reading updates (only on sending): one call a second at most.
    read_limit = RateLimit(calls=60, seconds=60)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """The comments on the channel's posts after ``cursor``, oldest first (``getUpdates``).

        Comments live in the channel's linked discussion group: a message there that replies to
        the automatic forward of one of the channel's posts (``reply_to_message`` with
        ``is_automatic_forward``, from this channel), or to one of the bot's own answers (its
        parent is then that answer, ``"<chat id>:<message id>"``). Other talk in the group
        (members answering each other) is left out. The bot must be an administrator of that
        group (bots in groups are sent every message only then) and have no webhook.

        ``getUpdates`` with an ``offset`` CONFIRMS every update below it: Telegram forgets them for
        good, for every reader of this bot. So the cursor is ``"<offset>:<last handed over>"``: the
        offset stops before the channel's own posts of the last :data:`CONFIRM_AFTER`, which
        :meth:`find_published` may still need (the comments after them are read again and skipped
        by their update id, never lost nor handed over twice); older updates, comments read and
        unrelated messages are confirmed. Both readers ask for the same ``allowed_updates``: the
        setting is remembered by Telegram and a narrower one would stop the comments coming.
        """
        if stream != "comments":
            raise PermanentError(_msg(_("%(network)s has no such stream: %(reason)s"), stream))
        offset, seen = _parse_cursor(cursor)
        params: dict[str, Any] = {"limit": UPDATES_PAGE, "timeout": 0, "allowed_updates": ALLOWED_UPDATES}
        if offset:
            params["offset"] = offset
        updates = self._updates(account, params)
        channel = {str(account.remote_id or ""), str(account.secrets.get("chat_id") or "")} - {""}
        bot = str(account.secrets.get("bot_token") or "").partition(":")[0]  # a bot token starts with its id
        keep_from = None  # the first update find_published may still need
        recent = time.time() - CONFIRM_AFTER.total_seconds()
        items, last = [], offset - 1 if offset else 0
        for update in updates:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            update_id = update["update_id"]
            last = max(last, update_id)
            post = update.get("channel_post")
            if isinstance(post, dict) and keep_from is None and _number(post.get("date")) >= recent:
                keep_from = update_id
            if update_id <= seen:
                continue
            item = _comment(update.get("message"), channel=channel, bot=bot)
            if item is not None:
                items.append(item)
        seen = max([seen, *(_update_id(u) for u in updates)])
        next_offset = keep_from if keep_from is not None else (last + 1 if last else offset)
        next_cursor = f"{max(next_offset, offset)}:{seen}" if (next_offset or seen) else cursor
        more = len(updates) >= UPDATES_PAGE and keep_from is None
        items.sort(key=lambda item: item.created_at)
        return InboundPage(items=tuple(items), cursor=next_cursor, more=more)

    def _updates(self, account: AccountData, params: dict[str, Any]) -> list[Any]:
        updates = self._call(account, "getUpdates", params=params)
        if not isinstance(updates, list):
            raise TransientError(_msg(_("%(network)s answered in an unexpected way: Terrain will try again later.")))
        return updates

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the comment ``to`` (``"<chat id>:<message id>"``) in the discussion group
        (``sendMessage`` with ``reply_parameters``).

        Never twice, by refusing to guess: a bot cannot read back its own messages in a group and
        Telegram has no idempotency key, so an answer whose outcome is unknown is not sent again
        by Terrain: the person is asked to look in the group first.
        """
        chat_id, _sep, message_id = to.rpartition(":")
        if not chat_id or not message_id.isdigit():
            raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), to[:40]))
        params = {
            "chat_id": chat_id,
            "text": content.text,
            "reply_parameters": {"message_id": int(message_id), "allow_sending_without_reply": False},
        }
        try:
            message = self._call(account, "sendMessage", params=params, sending=True)
        except UncertainOutcome as error:
            raise PermanentError(
                _(
                    "Telegram did not answer in time and Terrain cannot check whether the answer went out: "
                    "look in the discussion group, and send it again only if it is not there."
                )
            ) from error
        return RemotePost(remote_id=f"{chat_id}:{message['message_id']}", url=_message_url(message))


def _post_of(update: dict[str, Any]) -> dict[str, Any]:
    return update.get("channel_post") or update.get("message") or {}


def _confirmable(update: dict[str, Any], old_before: float) -> bool:
    """Whether :meth:`TelegramConnector.find_published` may confirm this update: an old post of
    the channel, or the old automatic forward of one into the group (not a comment)."""
    post = update.get("channel_post")
    if post is None:
        post = update.get("message") if (update.get("message") or {}).get("is_automatic_forward") else None
    return isinstance(post, dict) and _number(post.get("date")) < old_before


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _update_id(update: Any) -> int:
    value = update.get("update_id") if isinstance(update, dict) else None
    return value if isinstance(value, int) else 0


def _parse_cursor(cursor: str) -> tuple[int, int]:
    """``"<offset>:<last update handed over>"`` (an empty cursor: nothing read yet)."""
    offset, _sep, seen = cursor.partition(":")
    return (int(offset) if offset.isdigit() else 0), (int(seen) if seen.isdigit() else 0)


def _from_channel(message: dict[str, Any], channel: set[str]) -> bool:
    """Whether ``message`` (in the group) is the automatic forward of a post of ``channel``."""
    if not message.get("is_automatic_forward"):
        return False
    origin = message.get("forward_origin") if isinstance(message.get("forward_origin"), dict) else {}
    for chat in (origin.get("chat"), message.get("sender_chat"), message.get("forward_from_chat")):
        if isinstance(chat, dict) and (str(chat.get("id")) in channel or f"@{chat.get('username')}" in channel):
            return True
    return False


def _comment(message: Any, *, channel: set[str], bot: str = "") -> InboundItem | None:
    """An inbox item from a group message that answers one of the channel's posts or one of the
    bot's answers, else None."""
    if not isinstance(message, dict) or not isinstance(message.get("message_id"), int):
        return None
    replied = message.get("reply_to_message")
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    if not isinstance(replied, dict) or not chat.get("id"):
        return None
    answered = replied.get("from") if isinstance(replied.get("from"), dict) else {}
    to_our_answer = bool(bot) and str(answered.get("id")) == bot and isinstance(replied.get("message_id"), int)
    if not to_our_answer and not _from_channel(replied, channel):
        return None
    origin = replied.get("forward_origin") if isinstance(replied.get("forward_origin"), dict) else {}
    post_id = origin.get("message_id") or replied.get("forward_from_message_id") or ""
    if to_our_answer:
        post_id = f"{chat['id']}:{replied['message_id']}"
    origin_chat = origin.get("chat") or replied.get("forward_from_chat") or {}
    person = message.get("from") if isinstance(message.get("from"), dict) else {}
    sender = message.get("sender_chat") if isinstance(message.get("sender_chat"), dict) else {}
    username = str(person.get("username") or sender.get("username") or "")
    name = " ".join(str(person.get(k) or "") for k in ("first_name", "last_name")).strip() or str(
        sender.get("title") or ""
    )
    channel_name = str(origin_chat.get("username") or "") if isinstance(origin_chat, dict) else ""
    key = f"{chat['id']}:{message['message_id']}"
    return InboundItem(
        remote_id=key,
        kind="comment",
        text=str(message.get("text") or message.get("caption") or ""),
        created_at=datetime.fromtimestamp(_number(message.get("date")), UTC)
        if message.get("date")
        else datetime.now(UTC),
        author_handle=f"@{username}" if username else "",
        author_name=name or username,
        author_url=f"https://t.me/{username}" if username else "",
        url=f"https://t.me/{channel_name}/{post_id}?comment={message['message_id']}"
        if channel_name and post_id and not to_our_answer
        else "",
        parent=str(post_id),
        reply_to=key,
        parent_is_ours=True,
    )


def _in_chat(post: dict[str, Any], chat: str) -> bool:
    about = post.get("chat") or {}
    return chat in (str(about.get("id")), f"@{about.get('username')}")


def _same_text(text: str) -> str:
    """The text as Telegram gives it back, compared whatever the spaces."""
    return " ".join(text.split())


def _message_url(message: dict[str, Any]) -> str:
    chat = message.get("chat") or {}
    if chat.get("username"):
        return f"https://t.me/{chat['username']}/{message['message_id']}"
    internal = str(chat.get("id", "")).removeprefix("-100")
    return f"https://t.me/c/{internal}/{message['message_id']}" if internal else ""


def _result(response: httpx.Response, *, sending: bool) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if response.is_success:  # an answer cut or garbled on the way: the request may have been done
            unexpected = _msg(_("%(network)s answered in an unexpected way: Terrain will try again later."))
            raise (UncertainOutcome if sending else TransientError)(unexpected, status=response.status_code)
        body = {}
    if response.is_success and body.get("ok"):
        return body.get("result")
    code = int(body.get("error_code") or response.status_code)
    description = str(body.get("description") or response.reason_phrase)
    parameters = body.get("parameters") or {}
    if code == 429:
        retry_after = parameters.get("retry_after")
        raise TransientError(
            _msg(_("%(network)s asks to wait before publishing again.")),
            status=code,
            retry_after=float(retry_after) if retry_after is not None else None,
        )
    if code >= 500:
        raise TransientError(_msg(_("Server error at %(network)s: %(reason)s"), description), status=code)
    if code in (401, 403, 404):  # a 404 from the Bot API means a malformed or revoked token
        raise AuthError(
            _msg(_("%(network)s refused the connection of the account: %(reason)s"), description),
            status=code,
        )
    if code == 400 and any(problem in description.lower() for problem in ACCOUNT_PROBLEMS):
        raise AuthError(
            _msg(_("%(network)s refused the connection of the account: %(reason)s"), description),
            status=code,
        )
    if sending:
        raise RejectedContent(_msg(_("%(network)s refused this post: %(reason)s"), description), status=code)
    raise PermanentError(_msg(_("Error from %(network)s: %(reason)s"), description), status=code)


def _msg(template: str, reason: object = "") -> str:
    """A translated message naming the network (and what it said, when it said something)."""
    return template % {"network": "Telegram", "reason": reason}
