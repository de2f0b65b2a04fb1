"""Graph API plumbing shared by the Facebook Page and Instagram connectors.

Both networks are reached through ``graph.facebook.com`` with a Page access token
obtained by the Facebook login, and both answer errors with the same body
(https://developers.facebook.com/docs/graph-api/guides/error-handling)::

    {"error": {"message": "...", "type": "OAuthException", "code": 190,
               "error_subcode": 463, "error_user_msg": "...", "fbtrace_id": "..."}}

so the classification of failures lives here, once.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from terrain.networks.base import (
    AccountInfo,
    AuthError,
    ConnectorError,
    PermanentError,
    PermissionMissing,
    RejectedContent,
    TransientError,
    UncertainOutcome,
    no_answer,
    unreachable,
)

#: Graph API versions live two years; the fakes accept any ``vNN.N`` prefix.
GRAPH_VERSION = "v25.0"
GRAPH_BASE = "https://graph.facebook.com"
#: The login dialog is on www.facebook.com; a local fake serves it on its own root.
DIALOG_BASE = "https://www.facebook.com"

# Error codes from the Graph API error-handling guide and the rate-limiting page.
THROTTLED = {4, 17, 32, 613, 80001, 80002}  # app, user, page, custom, business-use-case limits
TEMPORARY = {1, 2, 341, 368, 9007}  # unknown, service, app limit, temporary block, media not ready
EXPIRED_OR_REVOKED = {102, 190}  # session / access token expired, revoked or invalid
PERMISSION = {3, 10} | set(range(200, 300))  # a permission is missing: reconnect with the scopes
REFUSED = {100, 324, 506, 1609005, 36003, 9004}  # bad parameter, bad image, duplicate, link, ratio, media URL


def oauth_client(kind: str, client: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's client id and secret, from ``settings.NETWORK_OAUTH_CLIENTS[kind]``.

    ``client`` (what ``register_client`` returned and the screens kept in the session)
    only names the client id: the secret never leaves the settings.
    """
    found = {**(getattr(settings, "NETWORK_OAUTH_CLIENTS", {}).get(kind) or {}), **(client or {})}
    if not found.get("client_id") or not found.get("client_secret"):
        raise PermanentError(_("This network's application is not configured on this server (client id and secret)."))
    return found


def public_client(kind: str) -> dict[str, Any]:
    """What ``register_client`` returns: the client id only."""
    return {"client_id": oauth_client(kind)["client_id"]}


#: How far back ``find_published`` looks for a post with the same text.
FIND_WINDOW = timedelta(hours=24)
URL = re.compile(r"https?://\S+")


def fingerprint(text: str) -> str:
    """A post's text for comparison: links left out (networks may rewrite them), spaces collapsed."""
    return " ".join(URL.sub(" ", unicodedata.normalize("NFC", text or "")).split())


def recent(timestamp: str, *, now: datetime | None = None) -> bool:
    """Whether a Graph API time (``2026-11-21T06:40:00+0000``) is inside :data:`FIND_WINDOW`."""
    try:
        when = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError):
        return False
    return when >= (now or datetime.now(UTC)) - FIND_WINDOW


def dialog_base(api_base: str) -> str:
    """Where the login dialog lives: www.facebook.com for the real API, the fake's own root otherwise."""
    return DIALOG_BASE if api_base.rstrip("/") == GRAPH_BASE else api_base.rstrip("/")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait: ``Retry-After`` if sent, else the business-use-case estimate (in minutes)."""
    if response.headers.get("retry-after", "").isdigit():
        return float(response.headers["retry-after"])
    for header in ("x-business-use-case-usage", "x-page-usage", "x-app-usage"):
        raw = response.headers.get(header)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        entries = [entry for value in usage.values() for entry in value] if isinstance(usage, dict) else []
        minutes = [int(e.get("estimated_time_to_regain_access") or 0) for e in entries if isinstance(e, dict)]
        if any(minutes):
            return float(max(minutes) * 60)
    return None


def raise_for_error(response: httpx.Response) -> None:
    """Turn a Graph API error answer into the classified errors of ``base.py``.

    The raised error carries the Graph ``code`` and ``subcode`` as attributes.
    """
    if response.is_success:
        return
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = (body.get("error") if isinstance(body, dict) else None) or {}
    exc = _classify(response, error)
    exc.code = error.get("code")  # type: ignore[attr-defined]
    exc.subcode = error.get("error_subcode")  # type: ignore[attr-defined]
    raise exc


def _classify(response: httpx.Response, error: dict[str, Any]) -> ConnectorError:
    code = error.get("code")
    detail = error.get("error_user_msg") or error.get("message") or response.reason_phrase
    status = response.status_code
    if code in THROTTLED or status == 429:
        return TransientError(
            _("The network asks us to slow down: %(detail)s") % {"detail": detail},
            status=status,
            retry_after=_retry_after(response),
        )
    if code in EXPIRED_OR_REVOKED or status == 401:
        return AuthError(
            _("The connection to the account has expired or was revoked: %(detail)s") % {"detail": detail},
            status=status,
        )
    if code in PERMISSION:
        return PermissionMissing(
            _("The connection lacks a permission, connect the account again: %(detail)s") % {"detail": detail},
            status=status,
        )
    if status >= 500 or code in TEMPORARY or error.get("is_transient"):
        return TransientError(_("The network is unavailable for now: %(detail)s") % {"detail": detail}, status=status)
    if code in REFUSED:
        return RejectedContent(_("The network refused this post: %(detail)s") % {"detail": detail}, status=status)
    return PermanentError(_("The network answered with an error: %(detail)s") % {"detail": detail}, status=status)


#: Graph subcode of "Object with ID ... does not exist" (deleting a post already gone).
MISSING_OBJECT = 33


def gone(exc: ConnectorError) -> bool:
    return getattr(exc, "code", None) == 100 and getattr(exc, "subcode", None) == MISSING_OBJECT


class GraphClient:
    """One short-lived HTTP client for a series of Graph API calls with one token.

    The token travels in the ``Authorization`` header rather than the query string so
    that it never appears in logged URLs.
    """

    def __init__(self, *, base: str, token: str = "", timeout: float):
        self.root = f"{base.rstrip('/')}/{GRAPH_VERSION}"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(timeout=timeout, headers=headers)

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one request; a POST whose answer never came raises :class:`UncertainOutcome`."""
        return send(self.http, method, f"{self.root}/{path.lstrip('/')}", params=params, data=data, files=files)


def send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    """One Graph API request with every transport failure classified."""
    try:
        response = http.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        # Nothing left this machine: retrying cannot duplicate anything.
        raise TransientError(unreachable("Meta", exc)) from exc
    except httpx.UnsupportedProtocol as exc:  # a wrong API address in the settings
        raise PermanentError(unreachable("Meta", exc)) from exc
    except httpx.TransportError as exc:
        # The request may have arrived: a POST may have created the post.
        if method == "POST":
            raise UncertainOutcome(no_answer("Meta", exc, sending=True)) from exc
        raise TransientError(no_answer("Meta", exc, sending=False)) from exc
    raise_for_error(response)
    try:
        return response.json() if response.content else {}
    except ValueError as exc:
        raise TransientError(_("The network sent an unreadable answer.")) from exc


def exchange_code(*, api_base: str, code: str, redirect_uri: str, client: dict[str, Any], timeout: float) -> dict:
    """Code → short-lived user token → long-lived user token (about 60 days).

    Returns ``{"access_token": <long-lived user token>, "expires_at": <epoch or None>}``;
    the page tokens obtained with it (``list_pages``) do not expire.
    """
    with GraphClient(base=api_base, timeout=timeout) as graph:
        short = graph.call(
            "GET",
            "oauth/access_token",
            params={
                "client_id": client["client_id"],
                "client_secret": client["client_secret"],
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        long = graph.call(
            "GET",
            "oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": client["client_id"],
                "client_secret": client["client_secret"],
                "fb_exchange_token": short["access_token"],
            },
        )
    expires_in = long.get("expires_in")
    return {"access_token": long["access_token"], "expires_at": int(time.time() + expires_in) if expires_in else None}


def managed_pages(*, api_base: str, user_token: str, fields: str, timeout: float) -> list[dict[str, Any]]:
    """Every Page the user can act on (``GET /me/accounts``), following the pagination."""
    pages: list[dict[str, Any]] = []
    with GraphClient(base=api_base, token=user_token, timeout=timeout) as graph:
        params: dict[str, Any] = {"fields": fields, "limit": 100}
        answer = graph.call("GET", "me/accounts", params=params)
        pages.extend(answer.get("data", []))
        after = (answer.get("paging") or {}).get("cursors", {}).get("after")
        while after and (answer.get("paging") or {}).get("next") and len(pages) < 1000:
            answer = graph.call("GET", "me/accounts", params={**params, "after": after})
            pages.extend(answer.get("data", []))
            after = (answer.get("paging") or {}).get("cursors", {}).get("after")
    return pages


def page_info(page: dict[str, Any]) -> AccountInfo:
    return AccountInfo(
        remote_id=str(page["id"]),
        handle=page.get("username") or page.get("name", ""),
        display_name=page.get("name", ""),
        followers=page.get("followers_count"),
        url=page.get("link") or f"https://www.facebook.com/{page['id']}",
    )


def choose_only(connector, account, *, none: str, several: str) -> None:
    """Given the secrets of ``exchange_code``: the only Page (or Instagram account) the person
    manages becomes the account's, its secrets stored; none or several is an error saying so."""
    found = connector.list_pages(require(account.secrets, "access_token"), api_base=connector.api_base(account))
    if not found:
        raise PermanentError(none)
    if len(found) > 1:
        raise PermanentError(several)
    account.secrets = connector.page_secrets(account.secrets, found[0].remote_id, api_base=connector.api_base(account))
    account.secrets_changed = True


def require(secrets: dict[str, Any], key: str) -> str:
    value = secrets.get(key)
    if not value:
        raise AuthError(_("The account has no stored access token: connect it again."))
    return str(value)
