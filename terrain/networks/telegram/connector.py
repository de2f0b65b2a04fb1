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

import json
import time
from datetime import timedelta
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
        params: dict[str, Any] = {"limit": UPDATES_PAGE, "timeout": 0, "allowed_updates": ["channel_post"]}
        old_before = time.time() - CONFIRM_AFTER.total_seconds()
        for _page in range(MAX_UPDATE_PAGES):
            try:
                updates = self._call(account, "getUpdates", params=params)
            except PermanentError as error:
                if error.status == 409:  # a webhook takes the updates
                    raise cannot_tell from error
                raise
            old, recent = [], []
            for update in updates:
                (old if _post_of(update).get("date", 0) < old_before else recent).append(update)
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


def _post_of(update: dict[str, Any]) -> dict[str, Any]:
    return update.get("channel_post") or update.get("message") or {}


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
