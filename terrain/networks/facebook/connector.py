"""Facebook Page connector (Graph API, Pages API).

Connecting (done by the account screens with these methods):

1. ``authorization_url`` sends the manager to the Facebook login dialog;
2. ``exchange_code`` trades the code for a long-lived *user* token;
3. ``list_pages(user_token)`` lists the Pages that person manages, the manager picks one;
4. ``page_secrets(secrets, page_id)`` returns what to store for that Page: its Page
   token (which does not expire when obtained from a long-lived user token).

Publishing uses the Page token: ``POST /{page-id}/feed`` for text and links,
``POST /{page-id}/photos`` for one image, unpublished photos attached to a feed
post for several. Reference: https://developers.facebook.com/docs/pages-api/posts
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from terrain.networks.base import (
    AccountData,
    AccountInfo,
    Connector,
    Content,
    InboundPage,
    Metrics,
    PermanentError,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
    oauth_app_configured,
)
from terrain.networks.facebook import graph, inbox
from terrain.networks.sharing import ShareLink, ShareText

#: ``pages_show_list`` is what ``GET /me/accounts`` needs to list the Pages.
#: ``pages_read_user_content`` and ``pages_manage_engagement`` read and answer comments,
#: ``pages_messaging`` reads and answers Messenger conversations (the inbox).
SCOPES = (
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_show_list",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_messaging",
)


class FacebookShare(ShareLink):
    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': share.url})}" if share.url else ""


class FacebookConnector(Connector):
    kind = "facebook"
    label = "Facebook"
    position = 30
    link_in_text = True
    share = FacebookShare()
    max_chars = 63206
    max_media = 10
    default_api_base = graph.GRAPH_BASE
    auth_flow = "oauth"
    setup_settings = ("FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET")

    def is_configured(self) -> bool:
        return oauth_app_configured(self.kind)

    # Page tokens fall under the Pages business-use-case limit: 4,800 calls per engaged
    # user per rolling 24 hours (https://developers.facebook.com/docs/graph-api/overview/rate-limiting#pages).
    # A post costs up to 11 calls (10 photos and the post) and statistics use more: 200
    # posts a day stays well inside the budget of even a one-person Page.
    rate_limit = RateLimit(calls=200, seconds=24 * 3600)
    #: How many recent posts ``find_published`` reads.
    recent = 25

    # Counting ----------------------------------------------------------
    def count_characters(self, text: str) -> int:
        return len(text)

    # OAuth -------------------------------------------------------------
    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """The app is registered once by the administrator (settings): this only names its id."""
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
        base = graph.dialog_base(api_base or self.api_base())
        return f"{base}/{graph.GRAPH_VERSION}/dialog/oauth?{query}"

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        """Returns ``{"access_token": <long-lived user token>, "expires_at": ...}``: not yet a Page."""
        return graph.exchange_code(
            api_base=api_base or self.api_base(),
            code=code,
            redirect_uri=redirect_uri,
            client=graph.oauth_client(self.kind, client),
            timeout=self.timeout,
        )

    def list_pages(self, user_token: str, *, api_base: str = "") -> list[AccountInfo]:
        """The Pages this person manages, to choose from on the connect screen."""
        pages = graph.managed_pages(
            api_base=api_base or self.api_base(),
            user_token=user_token,
            fields="id,name,username,link,followers_count,tasks",
            timeout=self.timeout,
        )
        return [graph.page_info(page) for page in pages if _can_post(page)]

    def page_secrets(self, secrets: dict[str, Any], page_id: str, *, api_base: str = "") -> dict[str, Any]:
        """What to store for the chosen Page. The Page token is read again here so that
        it never travels through the browser."""
        pages = graph.managed_pages(
            api_base=api_base or self.api_base(),
            user_token=graph.require(secrets, "access_token"),
            fields="id,name,access_token,tasks",
            timeout=self.timeout,
        )
        for page in pages:
            if str(page["id"]) == str(page_id) and page.get("access_token"):
                return {"access_token": page["access_token"], "page_id": str(page["id"])}
        raise PermanentError(_("This Page is not among the Pages this person manages."))

    # Account -----------------------------------------------------------
    def _page_id(self, account: AccountData) -> str:
        page_id = account.remote_id or account.secrets.get("page_id", "")
        if not page_id:
            raise PermanentError(_("The account does not say which Page to use: connect it again."))
        return str(page_id)

    def _graph(self, account: AccountData) -> graph.GraphClient:
        return graph.GraphClient(
            base=self.api_base(account), token=graph.require(account.secrets, "access_token"), timeout=self.timeout
        )

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        """The Page's name and followers. Given the secrets of ``exchange_code`` (no Page
        chosen yet) and a person who manages exactly one Page, that Page is chosen:
        ``account.secrets`` become its secrets and ``secrets_changed`` is set."""
        if not (account.remote_id or account.secrets.get("page_id")):
            self._choose_only_page(account)
        with self._graph(account) as client:
            page = client.call(
                "GET", self._page_id(account), params={"fields": "id,name,username,link,followers_count"}
            )
        return graph.page_info(page)

    def _choose_only_page(self, account: AccountData) -> None:
        graph.choose_only(
            self,
            account,
            none=_("No Page managed by this person was found."),
            several=_("This person manages several Pages: choose the one to publish for."),
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        with self._graph(account) as client:
            page = client.call("GET", self._page_id(account), params={"fields": "followers_count,name"})
        return page.get("followers_count")

    # Posts -------------------------------------------------------------
    def _check(self, content: Content) -> None:
        if self.count_characters(content.text) > self.max_chars:
            raise RejectedContent(
                _("The text is longer than %(max)s characters allowed by Facebook.") % {"max": self.max_chars}
            )
        if len(content.media) > self.max_media:
            raise RejectedContent(_("Facebook takes at most %(max)s images per post.") % {"max": self.max_media})

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        self._check(content)
        page_id = self._page_id(account)
        with self._graph(account) as client:
            if len(content.media) == 1:
                # A photo post cannot carry a link preview: the link goes in the caption.
                media = content.media[0]
                answer = client.call(
                    "POST",
                    f"{page_id}/photos",
                    data={"caption": _with_link(content), "alt_text_custom": media.alt, "published": "true"},
                    files={"source": (media.filename, media.data, media.mime_type)},
                )
                post_id = answer.get("post_id") or f"{page_id}_{answer['id']}"
            else:
                data: dict[str, Any] = {"message": content.text}
                if content.media:
                    # Photos uploaded unpublished are safe to upload again: only the
                    # feed post below is visible, and only it is uncertain.
                    data["message"] = _with_link(content)
                    for index, media in enumerate(content.media):
                        try:
                            photo = client.call(
                                "POST",
                                f"{page_id}/photos",
                                data={"published": "false", "alt_text_custom": media.alt},
                                files={"source": (media.filename, media.data, media.mime_type)},
                            )
                        except UncertainOutcome as exc:  # an unpublished photo is not a post
                            raise TransientError(exc.message) from exc
                        data[f"attached_media[{index}]"] = f'{{"media_fbid":"{photo["id"]}"}}'
                elif content.link:
                    data["link"] = content.link
                post_id = client.call("POST", f"{page_id}/feed", data=data)["id"]
        return RemotePost(remote_id=post_id, url=_permalink(post_id))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        """A recent post of the Page carrying the marker, or the same text posted in the last
        :data:`~terrain.networks.facebook.graph.FIND_WINDOW` (the marker stays out of the
        visible text unless the engine put it in the text or the link)."""
        wanted = graph.fingerprint(_with_link(content))
        with self._graph(account) as client:
            answer = client.call(
                "GET",
                f"{self._page_id(account)}/feed",
                params={
                    "fields": "id,message,created_time,permalink_url,attachments{unshimmed_url}",
                    "limit": self.recent,
                },
            )
        for post in answer.get("data", []):
            message = post.get("message", "")
            links = [a.get("unshimmed_url", "") for a in (post.get("attachments") or {}).get("data", [])]
            marked = bool(content.marker) and any(content.marker in field for field in [message, *links])
            same = bool(wanted) and graph.fingerprint(message) == wanted and graph.recent(post.get("created_time"))
            if marked or same:
                return RemotePost(remote_id=post["id"], url=post.get("permalink_url") or _permalink(post["id"]))
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
            post = client.call(
                "GET",
                remote_id,
                params={"fields": "reactions.limit(0).summary(true),shares,comments.limit(0).summary(true)"},
            )
        return Metrics(
            likes=int(((post.get("reactions") or {}).get("summary") or {}).get("total_count", 0)),
            reposts=int((post.get("shares") or {}).get("count", 0)),
            replies=int(((post.get("comments") or {}).get("summary") or {}).get("total_count", 0)),
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("comments", "messages")
    can_search = False
    # The Pages business-use-case limit (4,800 calls per engaged user per 24 hours, see
    # ``rate_limit``) is shared with publishing; a read of the comments costs one call per
    # recent post: half the budget goes to reading.
    read_limit = RateLimit(calls=2400, seconds=24 * 3600)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """Comments on the Page's recent posts (``comments``, cursor: see
        :class:`~terrain.networks.inbound.PostCursor`) or Messenger messages (``messages``)."""
        if stream not in self.inbox_streams:
            raise PermanentError(_("Facebook has no such stream: %(stream)s") % {"stream": stream})
        page_id = self._page_id(account)
        with self._graph(account) as client:
            if stream == "comments":
                return inbox.fetch_comments(client, page_id, cursor)
            return inbox.fetch_messages(client, page_id, cursor)

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer a comment (``to``: its id) or a Messenger conversation (``messenger:<sender id>``),
        never twice (see :mod:`terrain.networks.facebook.inbox`)."""
        if self.count_characters(content.text) > self.max_chars:
            raise RejectedContent(
                _("The text is longer than %(max)s characters allowed by Facebook.") % {"max": self.max_chars}
            )
        with self._graph(account) as client:
            return inbox.reply(client, self._page_id(account), to, content.text)


def _can_post(page: dict[str, Any]) -> bool:
    """Pages where the person may create content (``tasks`` is absent for some token types)."""
    tasks = page.get("tasks")
    return tasks is None or "CREATE_CONTENT" in tasks or "MANAGE" in tasks


def _with_link(content: Content) -> str:
    if content.link and content.link not in content.text:
        return f"{content.text}\n\n{content.link}".strip()
    return content.text


def _permalink(post_id: str) -> str:
    page_id, _sep, story = post_id.partition("_")
    return f"https://www.facebook.com/{page_id}/posts/{story or page_id}"
