"""Instagram professional account connector (Instagram Graph API, Facebook login).

An Instagram professional account is reached through the Facebook Page it is linked
to: the connect screens use the same Facebook login as Pages, ``list_pages`` lists
the Instagram accounts of the person's Pages and ``page_secrets`` stores that Page's
token (it does not expire) with the Instagram account id.

Publishing is in two steps (https://developers.facebook.com/docs/instagram-platform/content-publishing):
``POST /{ig-user-id}/media`` creates a container from an image URL, caption and alt
text, then ``POST /{ig-user-id}/media_publish`` publishes it. Only the second step
makes a visible post, so only its timeout is an uncertain outcome; a container left
behind expires by itself after 24 hours.

**Images are fetched by Instagram from a public URL**, Terrain never uploads bytes.
The URL comes from a provider, a callable ``(media: Media) -> str`` returning an
absolute, signed and expiring address of the image on Terrain's own site: the
``public_url`` attribute of the connector when set, else the dotted path in
``settings.NETWORK_MEDIA_URL_PROVIDER``. Without one, publishing fails permanently
with a message saying so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    ConnectorError,
    Content,
    InboundPage,
    Media,
    Metrics,
    PermanentError,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
    oauth_app_configured,
)
from terrain.networks.facebook import graph
from terrain.networks.instagram import inbox

SCOPES = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
    "instagram_manage_comments",  # the inbox reads and answers comments
    "pages_show_list",
    "pages_read_engagement",
)
HASHTAG = re.compile(r"(?<![\w&])#\w+")
INSIGHTS = ("reach", "saved", "shares")


class InstagramConnector(Connector):
    kind = "instagram"
    label = "Instagram"
    position = 40
    link_in_text = True
    max_chars = 2200
    max_media = 10  # a carousel holds 2 to 10 images
    max_hashtags = 30
    media_required = True
    default_api_base = graph.GRAPH_BASE
    auth_flow = "oauth"
    setup_settings = ("FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET")

    def is_configured(self) -> bool:
        return oauth_app_configured(self.kind)

    # "An Instagram professional account can only publish 50 posts within a 24 hour
    # moving period" (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish).
    rate_limit = RateLimit(calls=50, seconds=24 * 3600)
    #: Provider of public image URLs, see the module docstring.
    public_url: Callable[[Media], str] | None = None
    #: Container status checks before giving up for this attempt (Meta processes images in seconds).
    status_checks = 5
    status_wait = 1.0
    recent = 25

    def count_characters(self, text: str) -> int:
        return len(text)

    @staticmethod
    def count_hashtags(text: str) -> int:
        return len(HASHTAG.findall(text))

    # OAuth (the Facebook login) ----------------------------------------
    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """The Meta app is registered once by the administrator (settings): this only names its id."""
        return graph.public_client(self.kind)

    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        client = graph.oauth_client(self.kind, client)
        query = urlencode(
            {
                "client_id": client["client_id"],
                "redirect_uri": redirect_uri,
                "state": state,
                "response_type": "code",
                "scope": ",".join(SCOPES),
            }
        )
        return f"{graph.dialog_base(api_base or self.api_base())}/{graph.GRAPH_VERSION}/dialog/oauth?{query}"

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        """Returns ``{"access_token": <long-lived user token>, "expires_at": ...}``: not yet an account."""
        return graph.exchange_code(
            api_base=api_base or self.api_base(),
            code=code,
            redirect_uri=redirect_uri,
            client=graph.oauth_client(self.kind, client),
            timeout=self.timeout,
        )

    def _linked(self, user_token: str, api_base: str) -> list[dict[str, Any]]:
        pages = graph.managed_pages(
            api_base=api_base or self.api_base(),
            user_token=user_token,
            fields="id,name,access_token,instagram_business_account{id,username,name,followers_count}",
            timeout=self.timeout,
        )
        return [page for page in pages if page.get("instagram_business_account")]

    def list_pages(self, user_token: str, *, api_base: str = "") -> list[AccountInfo]:
        """The Instagram professional accounts linked to the person's Pages."""
        return [_info(page["instagram_business_account"]) for page in self._linked(user_token, api_base)]

    def page_secrets(self, secrets: dict[str, Any], page_id: str, *, api_base: str = "") -> dict[str, Any]:
        """What to store for the chosen account (``page_id`` is the Instagram account id from ``list_pages``)."""
        for page in self._linked(graph.require(secrets, "access_token"), api_base):
            if str(page["instagram_business_account"]["id"]) == str(page_id):
                return {
                    "access_token": page["access_token"],
                    "page_id": str(page["id"]),
                    "ig_user_id": str(page_id),
                }
        raise PermanentError(_("This Instagram account is not linked to a Page this person manages."))

    # Account -----------------------------------------------------------
    def _ig_user(self, account: AccountData) -> str:
        ig_user = account.remote_id or account.secrets.get("ig_user_id", "")
        if not ig_user:
            raise PermanentError(_("The account does not say which Instagram account to use: connect it again."))
        return str(ig_user)

    def _graph(self, account: AccountData) -> graph.GraphClient:
        return graph.GraphClient(
            base=self.api_base(account), token=graph.require(account.secrets, "access_token"), timeout=self.timeout
        )

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        """The account's handle and followers. Given the secrets of ``exchange_code`` and a
        person with exactly one linked Instagram account, that account is chosen (see
        the Facebook connector)."""
        if not (account.remote_id or account.secrets.get("ig_user_id")):
            self._choose_only_account(account)
        with self._graph(account) as client:
            user = client.call("GET", self._ig_user(account), params={"fields": "id,username,name,followers_count"})
        return _info(user)

    def _choose_only_account(self, account: AccountData) -> None:
        graph.choose_only(
            self,
            account,
            none=_("No Instagram professional account is linked to this person's Pages."),
            several=_("Several Instagram accounts are linked to this person's Pages: choose one."),
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        with self._graph(account) as client:
            user = client.call("GET", self._ig_user(account), params={"fields": "followers_count,username"})
        return user.get("followers_count")

    # Posts -------------------------------------------------------------
    def _image_url(self, media: Media) -> str:
        provider = self.public_url
        if provider is None and getattr(settings, "NETWORK_MEDIA_URL_PROVIDER", ""):
            provider = import_string(settings.NETWORK_MEDIA_URL_PROVIDER)
        if provider is None:
            raise PermanentError(_("Instagram needs a public address for images and none is configured."))
        return provider(media)

    def _check(self, content: Content) -> None:
        if not content.media:
            raise RejectedContent(_("Instagram needs an image."))
        if len(content.media) > self.max_media:
            raise RejectedContent(_("Instagram takes at most %(max)s images per post.") % {"max": self.max_media})
        if self.count_characters(_caption(content)) > self.max_chars:
            raise RejectedContent(
                _("The caption is longer than %(max)s characters allowed by Instagram.") % {"max": self.max_chars}
            )
        if self.count_hashtags(content.text) > self.max_hashtags:
            raise RejectedContent(_("Instagram allows at most %(max)s hashtags.") % {"max": self.max_hashtags})

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        self._check(content)
        ig_user = self._ig_user(account)
        urls = [self._image_url(media) for media in content.media]
        with self._graph(account) as client:
            try:
                if len(urls) == 1:
                    fields = {"image_url": urls[0], "caption": _caption(content), "alt_text": content.media[0].alt}
                    container = client.call("POST", f"{ig_user}/media", data=fields)["id"]
                else:
                    children = [
                        client.call(
                            "POST",
                            f"{ig_user}/media",
                            data={"image_url": url, "is_carousel_item": "true", "alt_text": media.alt},
                        )["id"]
                        for url, media in zip(urls, content.media, strict=True)
                    ]
                    container = client.call(
                        "POST",
                        f"{ig_user}/media",
                        data={"media_type": "CAROUSEL", "children": ",".join(children), "caption": _caption(content)},
                    )["id"]
            except UncertainOutcome as exc:  # a container is not a post: trying again is safe
                raise TransientError(exc.message) from exc
            self._wait_until_ready(client, container)
            media_id = client.call("POST", f"{ig_user}/media_publish", data={"creation_id": container})["id"]
            try:
                permalink = client.call("GET", media_id, params={"fields": "permalink"}).get("permalink", "")
            except ConnectorError:  # the post exists: its address can wait
                permalink = ""
        return RemotePost(remote_id=str(media_id), url=permalink)

    def _wait_until_ready(self, client: graph.GraphClient, container: str) -> None:
        for attempt in range(self.status_checks):
            answer = client.call("GET", container, params={"fields": "status_code,status"})
            status = answer.get("status_code")
            if status in {"FINISHED", "PUBLISHED"}:
                return
            if status == "ERROR":
                raise RejectedContent(
                    _("Instagram could not use this image: %(detail)s") % {"detail": answer.get("status", "")}
                )
            if status == "EXPIRED":
                break
            if attempt + 1 < self.status_checks:
                time.sleep(self.status_wait)
        raise TransientError(_("Instagram is still preparing the image."), retry_after=60)

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        """A recent post carrying the marker, or the same caption posted in the last
        :data:`~terrain.networks.facebook.graph.FIND_WINDOW`."""
        wanted = graph.fingerprint(_caption(content))
        with self._graph(account) as client:
            answer = client.call(
                "GET",
                f"{self._ig_user(account)}/media",
                params={"fields": "id,caption,permalink,timestamp", "limit": self.recent},
            )
        for media in answer.get("data", []):
            caption = media.get("caption", "")
            marked = bool(content.marker) and content.marker in caption
            same = bool(wanted) and graph.fingerprint(caption) == wanted and graph.recent(media.get("timestamp"))
            if marked or same:
                return RemotePost(remote_id=str(media["id"]), url=media.get("permalink", ""))
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        """Delete the post; one already gone counts as deleted."""
        with self._graph(account) as client:
            try:
                client.call("DELETE", remote_id)
            except PermanentError as exc:
                if not graph.gone(exc):
                    raise

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        with self._graph(account) as client:
            media = client.call("GET", remote_id, params={"fields": "like_count,comments_count"})
            extra: dict[str, int] = {}
            try:
                insights = client.call("GET", f"{remote_id}/insights", params={"metric": ",".join(INSIGHTS)})
            except (AuthError, TransientError):
                raise
            except PermanentError:  # some media types have no insights: keep the counts
                insights = {}
        for metric in insights.get("data", []):
            values = metric.get("values") or [{}]
            extra[metric["name"]] = int(values[0].get("value") or 0)
        return Metrics(
            likes=int(media.get("like_count", 0)),
            replies=int(media.get("comments_count", 0)),
            reposts=extra.pop("shares", 0),
            extra=extra,
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("comments",)
    can_search = False
    # "Calls within one hour = 200 * number of users" per app and account
    # (https://developers.facebook.com/docs/graph-api/overview/rate-limiting#platform-rate-limits),
    # shared with publishing and statistics: half of it for reading.
    read_limit = RateLimit(calls=100, seconds=3600)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """Comments on the account's recent media, oldest first (cursor: see
        :class:`~terrain.networks.inbound.PostCursor`)."""
        if stream not in self.inbox_streams:
            raise PermanentError(_("Instagram has no such stream: %(stream)s") % {"stream": stream})
        with self._graph(account) as client:
            return inbox.fetch_comments(client, self._ig_user(account), cursor)

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the comment ``to`` (a top comment), never twice (see :mod:`terrain.networks.instagram.inbox`)."""
        if self.count_characters(content.text) > self.max_chars:
            raise RejectedContent(
                _("The caption is longer than %(max)s characters allowed by Instagram.") % {"max": self.max_chars}
            )
        with self._graph(account) as client:
            return inbox.reply(client, self._ig_user(account), to, content.text)


def _caption(content: Content) -> str:
    # Links in captions are not clickable, but people copy them.
    if content.link and content.link not in content.text:
        return f"{content.text}\n\n{content.link}".strip()
    return content.text


def _info(user: dict[str, Any]) -> AccountInfo:
    username = user.get("username", "")
    return AccountInfo(
        remote_id=str(user["id"]),
        handle=username,
        display_name=user.get("name") or username,
        followers=user.get("followers_count"),
        url=f"https://www.instagram.com/{username}/" if username else "",
    )
