"""A minimal Mastodon connector over httpx, used only when terrain.networks.mastodon is not there yet.

It speaks the real Mastodon API (``POST /api/v1/statuses`` with an
``Idempotency-Key``, ``GET /api/v1/accounts/:id/statuses``) and classifies
failures as the engine expects; the real connector (Mastodon.py) replaces it.
"""

from __future__ import annotations

import re

import httpx

from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    PermanentError,
    RateLimit,
    RemotePost,
    TransientError,
    UncertainOutcome,
)

_client = httpx.Client()


class BenchMastodonConnector(Connector):
    kind = "mastodon"
    label = "Mastodon"
    max_chars = 500
    auth_flow = "oauth"
    rate_limit = RateLimit(calls=300, seconds=3 * 3600)

    def count_characters(self, text: str) -> int:
        return len(text)

    def _call(self, account: AccountData, method: str, path: str, *, sending: bool = False, **kwargs):
        headers = {"Authorization": f"Bearer {account.secrets['access_token']}", **kwargs.pop("headers", {})}
        try:
            response = _client.request(
                method, f"{self.api_base(account)}{path}", headers=headers, timeout=self.timeout, **kwargs
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise TransientError(str(error)) from error
        except httpx.HTTPError as error:
            if sending:
                raise UncertainOutcome(repr(error)) from error
            raise TransientError(repr(error)) from error
        if response.status_code == 429 or response.status_code >= 500:
            retry = response.headers.get("Retry-After")
            raise TransientError(
                f"HTTP {response.status_code}",
                status=response.status_code,
                retry_after=float(retry) if retry and retry.isdigit() else None,
            )
        if response.status_code in (401, 403):
            raise AuthError(response.text[:200], status=response.status_code)
        if response.status_code >= 400:
            raise PermanentError(response.text[:200], status=response.status_code)
        return response.json()

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        me = self._call(account, "GET", "/api/v1/accounts/verify_credentials")
        return AccountInfo(remote_id=str(me["id"]), handle=me["acct"], followers=me.get("followers_count"))

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        status = self._call(
            account,
            "POST",
            "/api/v1/statuses",
            sending=True,
            data={"status": f"{content.text} {content.link}".strip(), "visibility": "public"},
            headers={"Idempotency-Key": content.marker},
        )
        return RemotePost(remote_id=str(status["id"]), url=status.get("url") or "")

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        me_id = account.remote_id or self.validate_credentials(account).remote_id
        wanted = re.sub(r"\s+", " ", content.text).strip()
        for status in self._call(account, "GET", f"/api/v1/accounts/{me_id}/statuses", params={"limit": 40}):
            if wanted in re.sub(r"<[^>]+>", "", status.get("content") or ""):
                return RemotePost(remote_id=str(status["id"]), url=status.get("url") or "")
        return None
