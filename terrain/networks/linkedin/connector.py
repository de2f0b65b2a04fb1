"""LinkedIn organisation page connector (versioned REST API, Community Management).

Connecting (done by the account screens with these methods):

1. ``authorization_url`` sends the manager to LinkedIn's consent page;
2. ``exchange_code`` returns the member's access token (60 days) and, for apps allowed
   programmatic refresh tokens, a refresh token (365 days);
3. ``list_pages(access_token)`` lists the organisations the member administers;
4. ``page_secrets(secrets, organization_id)`` returns what to store.

Expired access tokens are refreshed on the fly: ``account.secrets`` is updated and
``account.secrets_changed`` set, the caller stores them.

Posts API: https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api
Images API: https://learn.microsoft.com/linkedin/marketing/community-management/shares/images-api
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    InboundPage,
    Metrics,
    PermanentError,
    PermissionMissing,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
    no_answer,
    oauth_app_configured,
    unreachable,
)
from terrain.networks.linkedin import inbox
from terrain.networks.sharing import ShareLink, ShareText

API_BASE = "https://api.linkedin.com"
#: Consent page and token endpoint; a local fake serves them on its own root.
OAUTH_BASE = "https://www.linkedin.com"
#: Versions of the Marketing APIs are supported for a year; bump with the changelog.
LINKEDIN_VERSION = "202605"
SCOPES = ("w_organization_social", "r_organization_social", "rw_organization_admin")
POSTING_ROLES = {"ADMINISTRATOR", "CONTENT_ADMINISTRATOR"}
#: Refresh the access token this long before it expires.
REFRESH_MARGIN = 300
#: How far back ``find_published`` looks for a post with the same text, in seconds.
FIND_WINDOW = 24 * 3600
URL = re.compile(r"https?://\S+")

# "Little text" format of ``commentary``: these characters must be escaped, hashtags
# are written as a template (Posts API, "Little Text Format").
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
HASHTAG = re.compile(r"(?<![\w&])#(\w+)")


def little_text(text: str) -> str:
    """``text`` in the little text format: reserved characters escaped, hashtags as templates
    (links only escaped, so that ``/#/`` in an address stays an address)."""
    parts, last = [], 0
    for link in URL.finditer(text):
        parts.append(_little_words(text[last : link.start()]))
        parts.append(RESERVED.sub(r"\\\1", link.group()))
        last = link.end()
    parts.append(_little_words(text[last:]))
    return "".join(parts)


def _little_words(text: str) -> str:
    parts, last = [], 0
    for match in HASHTAG.finditer(text):
        parts.append(RESERVED.sub(r"\\\1", text[last : match.start()]))
        parts.append("{hashtag|\\#|" + match.group(1) + "}")
        last = match.end()
    parts.append(RESERVED.sub(r"\\\1", text[last:]))
    return "".join(parts)


def plain_text(commentary: str) -> str:
    """The inverse of :func:`little_text`, to look for a marker in a post read back."""
    text = re.sub(r"\{hashtag\|\\?#\|([^}]*)\}", r"#\1", commentary)
    return re.sub(r"\\(.)", r"\1", text)


def oauth_client(client: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's id and secret from ``settings.NETWORK_OAUTH_CLIENTS["linkedin"]``; the secret
    never travels through ``client`` (what the screens keep in the session)."""
    found = {**(getattr(settings, "NETWORK_OAUTH_CLIENTS", {}).get("linkedin") or {}), **(client or {})}
    if not found.get("client_id") or not found.get("client_secret"):
        raise PermanentError(_("This network's application is not configured on this server (client id and secret)."))
    return found


def fingerprint(text: str) -> str:
    """A post's text for comparison: links left out, spaces collapsed."""
    return " ".join(URL.sub(" ", unicodedata.normalize("NFC", text or "")).split())


def _urn(org_id: str) -> str:
    return org_id if org_id.startswith("urn:") else f"urn:li:organization:{org_id}"


def _q(value: str) -> str:
    return quote(value, safe="")


class LinkedInShare(ShareLink):
    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': share.url})}" if share.url else ""


class LinkedInConnector(Connector):
    kind = "linkedin"
    label = "LinkedIn"
    position = 50
    share = LinkedInShare()
    max_chars = 3000
    max_media = 20  # a multi-image post holds 2 to 20 images
    default_api_base = API_BASE
    auth_flow = "oauth"
    setup_settings = ("LINKEDIN_CLIENT_ID", "LINKEDIN_CLIENT_SECRET")

    def is_configured(self) -> bool:
        return oauth_app_configured(self.kind)

    # Share/Posts API throttle: 150 posts a day per member (application: 100,000 a day),
    # https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api
    rate_limit = RateLimit(calls=150, seconds=24 * 3600)
    recent = 20

    def link_counts_in_text(self, *, with_media: bool) -> bool:
        # A post with an image cannot also carry a link card: the link then ends the text.
        return with_media

    # OAuth -------------------------------------------------------------
    def _oauth_base(self, api_base: str) -> str:
        api_base = (api_base or self.api_base()).rstrip("/")
        return OAUTH_BASE if api_base == API_BASE else api_base

    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        """The app is registered once by the administrator (settings): this only names its id."""
        return {"client_id": oauth_client()["client_id"]}

    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        client = oauth_client(client)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client["client_id"],
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": " ".join(SCOPES),
            }
        )
        return f"{self._oauth_base(api_base)}/oauth/v2/authorization?{query}"

    def _token_request(self, api_base: str, form: dict[str, str]) -> dict[str, Any]:
        client = oauth_client()
        form = {**form, "client_id": client["client_id"], "client_secret": client["client_secret"]}
        try:
            response = httpx.post(f"{self._oauth_base(api_base)}/oauth/v2/accessToken", data=form, timeout=self.timeout)
        except httpx.HTTPError as exc:  # asking for a token twice does no harm
            raise TransientError(unreachable("LinkedIn", exc)) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(_("LinkedIn is unavailable for now."), status=response.status_code)
        body = _json(response)
        if not response.is_success:
            detail = body.get("error_description") or body.get("error") or response.reason_phrase
            raise AuthError(
                _("LinkedIn refused the authorisation, connect the account again: %(detail)s") % {"detail": detail},
                status=response.status_code,
            )
        now = time.time()
        secrets = {"access_token": body["access_token"], "expires_at": int(now + int(body.get("expires_in", 0)))}
        if body.get("refresh_token"):
            secrets["refresh_token"] = body["refresh_token"]
            secrets["refresh_expires_at"] = int(now + int(body.get("refresh_token_expires_in", 0)))
        return secrets

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        """Returns ``{"access_token", "expires_at", "refresh_token"?, "refresh_expires_at"?}``."""
        return self._token_request(
            api_base, {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )

    def refresh(self, account: AccountData) -> None:
        """Trade the refresh token for a new access token, in ``account.secrets``."""
        refresh_token = account.secrets.get("refresh_token")
        if not refresh_token or account.secrets.get("refresh_expires_at", time.time() + 1) <= time.time():
            raise AuthError(_("The LinkedIn authorisation has expired: connect the account again."))
        with account.renewal(account.secrets.get("access_token", "")) as renew:
            if not renew:
                return  # another worker renewed it: its tokens are in ``account.secrets`` now
            fresh = self._token_request(
                self.api_base(account),
                {"grant_type": "refresh_token", "refresh_token": refresh_token},
            )
            account.secrets.update(fresh)
            account.secrets_changed = True

    def list_pages(self, user_token: str, *, api_base: str = "") -> list[AccountInfo]:
        """The organisations this member may post for."""
        account = AccountData(api_base=api_base or self.api_base(), secrets={"access_token": user_token})
        with _Api(self, account) as api:
            acls = api.get("/rest/organizationAcls?q=roleAssignee&state=APPROVED&count=100")
            ids = sorted(
                {
                    element["organization"].rsplit(":", 1)[-1]
                    for element in acls.get("elements", [])
                    if element.get("role") in POSTING_ROLES
                }
            )
            return [_org_info(api.get(f"/rest/organizations/{org_id}")) for org_id in ids]

    def page_secrets(self, secrets: dict[str, Any], page_id: str, *, api_base: str = "") -> dict[str, Any]:
        if str(page_id) not in {info.remote_id for info in self.list_pages(secrets["access_token"], api_base=api_base)}:
            raise PermanentError(_("This member cannot post for this LinkedIn page."))
        return {**secrets, "organization_id": str(page_id)}

    # Account -----------------------------------------------------------
    def _org(self, account: AccountData) -> str:
        org_id = account.remote_id or account.secrets.get("organization_id", "")
        if not org_id:
            raise PermanentError(_("The account does not say which LinkedIn page to use: connect it again."))
        return str(org_id).rsplit(":", 1)[-1]

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        """The page's name and followers. Given the secrets of ``exchange_code`` and a member
        who administers exactly one page, that page is chosen (``secrets_changed`` is set)."""
        if not (account.remote_id or account.secrets.get("organization_id")):
            found = self.list_pages(account.secrets.get("access_token", ""), api_base=self.api_base(account))
            if not found:
                raise PermanentError(_("This member administers no LinkedIn page."))
            if len(found) > 1:
                raise PermanentError(_("This member administers several LinkedIn pages: choose one."))
            account.secrets = {**account.secrets, "organization_id": found[0].remote_id}
            account.secrets_changed = True
        org_id = self._org(account)
        with _Api(self, account) as api:
            org = api.get(f"/rest/organizations/{org_id}")
            sizes = api.get(f"/rest/networkSizes/{_q(_urn(org_id))}?edgeType=COMPANY_FOLLOWED_BY_MEMBER")
        return _org_info(org, followers=sizes.get("firstDegreeSize"))

    def fetch_followers(self, account: AccountData) -> int | None:
        with _Api(self, account) as api:
            sizes = api.get(f"/rest/networkSizes/{_q(_urn(self._org(account)))}?edgeType=COMPANY_FOLLOWED_BY_MEMBER")
        return sizes.get("firstDegreeSize")

    # Posts -------------------------------------------------------------
    @staticmethod
    def _text(content: Content) -> str:
        if content.media and content.link and content.link not in content.text:
            return f"{content.text}\n\n{content.link}"  # an image post cannot also carry a link card
        return content.text

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        text = self._text(content)
        if self.count_characters(text) > self.max_chars:
            raise RejectedContent(
                _("The text is longer than %(max)s characters allowed by LinkedIn.") % {"max": self.max_chars}
            )
        if len(content.media) > self.max_media:
            raise RejectedContent(_("LinkedIn takes at most %(max)s images per post.") % {"max": self.max_media})
        author = _urn(self._org(account))
        body: dict[str, Any] = {
            "author": author,
            "commentary": little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        with _Api(self, account) as api:
            images = [{"id": api.upload_image(author, media), "altText": media.alt} for media in content.media]
            if len(images) == 1:
                body["content"] = {"media": images[0]}
            elif images:
                body["content"] = {"multiImage": {"images": images}}
            elif content.link:
                body["content"] = {"article": {"source": content.link, "title": content.title or content.link}}
            response = api.request("POST", "/rest/posts", json=body)
        post_urn = response.headers.get("x-restli-id", "")
        if not post_urn:
            raise UncertainOutcome(_("LinkedIn accepted the post without giving its identifier."))
        return RemotePost(remote_id=post_urn, url=_post_url(post_urn))

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        """A recent post of the page carrying the marker (text or article link), or the same
        text posted in the last :data:`FIND_WINDOW`."""
        wanted = fingerprint(self._text(content))
        author = _q(_urn(self._org(account)))
        with _Api(self, account) as api:
            posts = api.get(f"/rest/posts?author={author}&q=author&count={self.recent}&sortBy=LAST_MODIFIED")
        since = (time.time() - FIND_WINDOW) * 1000
        for post in posts.get("elements", []):
            text = plain_text(post.get("commentary", ""))
            article = ((post.get("content") or {}).get("article") or {}).get("source", "")
            marked = bool(content.marker) and (content.marker in text or content.marker in article)
            created = post.get("publishedAt") or post.get("createdAt") or 0
            same = bool(wanted) and fingerprint(text) == wanted and created >= since
            if marked or same:
                return RemotePost(remote_id=post["id"], url=_post_url(post["id"]))
        return None

    def delete(self, account: AccountData, remote_id: str) -> None:
        with _Api(self, account) as api:
            api.request(
                "DELETE", f"/rest/posts/{_q(remote_id)}", headers={"X-RestLi-Method": "DELETE"}, missing_ok=True
            )

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        org = _q(_urn(self._org(account)))
        key = "ugcPosts" if remote_id.startswith("urn:li:ugcPost:") else "shares"
        with _Api(self, account) as api:
            answer = api.get(
                f"/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org}"
                f"&{key}=List({_q(remote_id)})"
            )
        elements = answer.get("elements") or [{}]
        stats = elements[0].get("totalShareStatistics") or {}
        return Metrics(
            likes=int(stats.get("likeCount", 0)),
            reposts=int(stats.get("shareCount", 0)),
            replies=int(stats.get("commentCount", 0)),
            extra={"impressions": int(stats.get("impressionCount", 0)), "clicks": int(stats.get("clickCount", 0))},
        )

    # Inbox -------------------------------------------------------------
    inbox_streams = ("comments",)
    can_search = False
    # LinkedIn shows each application's daily limits per endpoint in its developer portal only
    # (https://learn.microsoft.com/linkedin/shared/api-guide/concepts/rate-limits); a
    # conservative budget for one member, a reading costing one call per recent post.
    read_limit = RateLimit(calls=500, seconds=24 * 3600)

    def fetch_inbound(self, account: AccountData, stream: str, cursor: str) -> InboundPage:
        """Comments (and their answers) on the page's recent posts, oldest first (cursor: see
        :class:`~terrain.networks.inbound.PostCursor`)."""
        if stream not in self.inbox_streams:
            raise PermanentError(_("LinkedIn has no such stream: %(stream)s") % {"stream": stream})
        with _Api(self, account) as api:
            return inbox.fetch_comments(api, _urn(self._org(account)), cursor)

    def reply(self, account: AccountData, to: str, content: Content) -> RemotePost:
        """Answer the comment ``to`` as the page, never twice (see :mod:`terrain.networks.linkedin.inbox`)."""
        if len(content.text) > 1250:  # the Comments API's limit on ``message.text``
            raise RejectedContent(_("LinkedIn comments are limited to %(max)s characters.") % {"max": 1250})
        with _Api(self, account) as api:
            return inbox.reply(api, _urn(self._org(account)), to, content.text)


class _Api:
    """Calls to the versioned REST API for one account, refreshing its token when needed."""

    def __init__(self, connector: LinkedInConnector, account: AccountData):
        self.connector = connector
        self.account = account
        self.base = connector.api_base(account)
        self.http = httpx.Client(timeout=connector.timeout)

    def __enter__(self) -> _Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def _headers(self) -> dict[str, str]:
        token = self.account.secrets.get("access_token")
        if not token:
            raise AuthError(_("The account has no stored access token: connect it again."))
        return {
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def get(self, path: str) -> dict[str, Any]:
        return _json(self.request("GET", path))

    def request(
        self, method: str, path: str, *, url: str = "", missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        expires_at = self.account.secrets.get("expires_at")
        if expires_at and expires_at - REFRESH_MARGIN <= time.time() and self.account.secrets.get("refresh_token"):
            self.connector.refresh(self.account)
        response = self._send(method, url or f"{self.base}{path}", **kwargs)
        if response.status_code == 401 and self.account.secrets.get("refresh_token"):
            # A 401 means nothing was done: refreshing and sending again is safe.
            self.connector.refresh(self.account)
            response = self._send(method, url or f"{self.base}{path}", **kwargs)
        if missing_ok and response.status_code == 404:
            return response
        _raise_for_error(response)
        return response

    def _send(self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        try:
            return self.http.request(method, url, headers={**self._headers(), **(headers or {})}, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientError(unreachable("LinkedIn", exc)) from exc
        except httpx.UnsupportedProtocol as exc:  # a wrong API address in the settings
            raise PermanentError(unreachable("LinkedIn", exc)) from exc
        except httpx.TransportError as exc:
            if method == "POST":  # the request may have arrived
                raise UncertainOutcome(no_answer("LinkedIn", exc, sending=True)) from exc
            raise TransientError(no_answer("LinkedIn", exc, sending=False)) from exc

    def upload_image(self, owner: str, media: Any) -> str:
        """Images API: register the upload, then PUT the bytes. Neither step makes a visible post."""
        try:
            answer = _json(
                self.request(
                    "POST",
                    "/rest/images?action=initializeUpload",
                    json={"initializeUploadRequest": {"owner": owner}},
                )
            )["value"]
            self.request(
                "PUT", "", url=answer["uploadUrl"], content=media.data, headers={"Content-Type": media.mime_type}
            )
        except UncertainOutcome as exc:
            raise TransientError(exc.message) from exc
        return answer["image"]


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        return response.json() if response.content else {}
    except ValueError:
        return {}


def _raise_for_error(response: httpx.Response) -> None:
    """LinkedIn errors: ``{"status": 422, "serviceErrorCode": 100, "code": "...", "message": "..."}``."""
    if response.is_success:
        return
    status = response.status_code
    body = _json(response)
    detail = body.get("message") or response.reason_phrase
    if status == 429:
        retry_after = response.headers.get("retry-after", "")
        raise TransientError(
            _("LinkedIn asks us to slow down: %(detail)s") % {"detail": detail},
            status=status,
            retry_after=float(retry_after) if retry_after.isdigit() else None,
        )
    if status >= 500:
        raise TransientError(_("LinkedIn is unavailable for now: %(detail)s") % {"detail": detail}, status=status)
    if status == 401:
        raise AuthError(
            _("LinkedIn refused the connection, connect the account again: %(detail)s") % {"detail": detail},
            status=status,
        )
    if status == 403:  # ACCESS_DENIED: a scope declined, or the person is no longer the page's administrator
        raise PermissionMissing(
            _("LinkedIn refused the connection, connect the account again: %(detail)s") % {"detail": detail},
            status=status,
        )
    if status == 422:
        raise RejectedContent(_("LinkedIn refused this post: %(detail)s") % {"detail": detail}, status=status)
    raise PermanentError(_("LinkedIn answered with an error: %(detail)s") % {"detail": detail}, status=status)


def _org_info(org: dict[str, Any], *, followers: int | None = None) -> AccountInfo:
    vanity = org.get("vanityName", "")
    return AccountInfo(
        remote_id=str(org["id"]),
        handle=vanity or str(org["id"]),
        display_name=org.get("localizedName", ""),
        followers=followers,
        url=f"https://www.linkedin.com/company/{vanity or org['id']}/",
    )


def _post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"
