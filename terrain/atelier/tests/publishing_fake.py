"""A tiny network for the engine's tests: a local server (FakeServer) and its connector.

"Pouet" speaks a small JSON API shaped like the real ones: bearer token,
``POST /api/statuses`` (429 with Retry-After, 5xx, 401 for a revoked token,
422 for refused content), ``GET /api/statuses?marker=`` to look for a post,
``GET /api/me``, and Mastodon-style OAuth (app registration, code for token).
The connector classifies failures as the real connectors do. It is registered
through ``settings.NETWORK_CONNECTORS`` by the fixtures below.
"""

from __future__ import annotations

import base64
import itertools
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from terrain.atelier.models import ConnectedAccount, Message
from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    RateLimit,
    RejectedContent,
    RemotePost,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.fakes.server import FakeServer, Request, Response, route

GOOD_TOKEN = "jeton-valide"


class PouetServer(FakeServer):
    name = "pouet"

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[dict[str, Any]] = []
        self.tokens = {GOOD_TOKEN: "1"}
        self.codes = {"code-ok": "jeton-oauth"}
        self.ids = itertools.count(1)

    def _user(self, request: Request) -> str | None:
        return self.tokens.get(request.bearer)

    @route("POST", r"/api/statuses")
    def post_status(self, request: Request) -> Response:
        if self._user(request) is None:
            return Response(401, json={"error": "The access token is invalid"})
        body = request.json()
        if len(body["text"]) > 100:
            return Response(422, json={"error": "Text is too long (100 characters at most)"})
        status_id = str(next(self.ids))
        status = {"id": status_id, "url": f"{self.base_url}/@syndicat/{status_id}", **body}
        self.statuses.append(status)
        return Response(200, json={"id": status_id, "url": status["url"]})

    @route("GET", r"/api/statuses")
    def search(self, request: Request) -> Response:
        if self._user(request) is None:
            return Response(401, json={"error": "The access token is invalid"})
        marker = request.arg("marker")
        return Response(200, json=[s for s in self.statuses if s.get("marker") == marker])

    @route("GET", r"/api/me")
    def me(self, request: Request) -> Response:
        if self._user(request) is None:
            return Response(401, json={"error": "The access token is invalid"})
        return Response(200, json={"id": "1", "handle": "@syndicat@pouet.test", "name": "Syndicat", "followers": 42})

    @route("POST", r"/api/apps")
    def register(self, request: Request) -> Response:
        return Response(200, json={"client_id": "client-1", "client_secret": "secret-1"})

    @route("POST", r"/oauth/token")
    def token(self, request: Request) -> Response:
        form = request.form()
        token = self.codes.get(form.get("code", ""))
        if token is None or form.get("client_id") != "client-1":
            return Response(400, json={"error": "invalid_grant"})
        self.tokens[token] = "1"
        return Response(200, json={"access_token": token})

    def posts_with(self, marker: str) -> list[dict[str, Any]]:
        return [s for s in self.statuses if s.get("marker") == marker]


class PouetConnector(Connector):
    kind = "pouet"
    label = "Pouet"
    max_chars = 100
    auth_flow = "oauth"
    rate_limit = RateLimit(calls=300, seconds=3 * 3600)

    def count_characters(self, text: str) -> int:
        return len(text)

    def _call(self, method: str, url: str, account: AccountData, *, sending: bool = False, **kwargs) -> Any:
        headers = {"Authorization": f"Bearer {account.secrets.get('access_token', '')}"}
        try:
            response = httpx.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise TransientError(f"unreachable: {error}") from error
        except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError) as error:
            if sending:
                raise UncertainOutcome(f"no answer: {error!r}") from error
            raise TransientError(f"no answer: {error!r}") from error
        if response.status_code == 429:
            retry = response.headers.get("Retry-After")
            raise TransientError("too many requests", status=429, retry_after=float(retry) if retry else None)
        if response.status_code >= 500:
            raise TransientError(f"server error {response.status_code}", status=response.status_code)
        if response.status_code == 401:
            raise AuthError(response.json().get("error", "unauthorised"), status=401)
        if response.status_code == 422:
            raise RejectedContent(response.json().get("error", "refused"), status=422)
        response.raise_for_status()
        return response.json()

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        body = {
            "text": content.text,
            "link": content.link,
            "marker": content.marker,
            "media": [{"alt": m.alt, "data": base64.b64encode(m.data).decode()} for m in content.media],
        }
        data = self._call("POST", f"{self.api_base(account)}/api/statuses", account, sending=True, json=body)
        return RemotePost(remote_id=data["id"], url=data["url"])

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        data = self._call("GET", f"{self.api_base(account)}/api/statuses", account, params={"marker": content.marker})
        return RemotePost(remote_id=data[0]["id"], url=data[0]["url"]) if data else None

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        data = self._call("GET", f"{self.api_base(account)}/api/me", account)
        return AccountInfo(
            remote_id=data["id"], handle=data["handle"], display_name=data["name"], followers=data["followers"]
        )

    def register_client(self, *, api_base: str, redirect_uri: str) -> dict[str, Any]:
        return httpx.post(f"{api_base}/api/apps", data={"redirect_uris": redirect_uri}, timeout=self.timeout).json()

    def authorization_url(self, *, api_base: str, redirect_uri: str, state: str, client: dict[str, Any]) -> str:
        query = urlencode({"client_id": client["client_id"], "redirect_uri": redirect_uri, "state": state})
        return f"{api_base}/oauth/authorize?{query}"

    def exchange_code(self, *, api_base: str, code: str, redirect_uri: str, client: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(
            f"{api_base}/oauth/token",
            data={"code": code, "client_id": client["client_id"], "redirect_uri": redirect_uri},
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise AuthError("The authorisation code was refused.", status=response.status_code)
        return {"access_token": response.json()["access_token"]}


class PouetPasswordConnector(PouetConnector):
    """The same network reached with a handle and an app password (as Bluesky)."""

    kind = "pouetpass"
    label = "Pouet (password)"
    auth_flow = "app_password"

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        if account.secrets.get("app_password") != "mot-de-passe-appli":
            raise AuthError("Invalid identifier or password", status=401)
        account.secrets["access_token"] = GOOD_TOKEN
        account.secrets_changed = True
        return super().validate_credentials(account)


class PouetBotConnector(PouetConnector):
    """The same network reached with a bot token and a channel (as Telegram)."""

    kind = "pouetbot"
    label = "Pouet (bot)"
    auth_flow = "bot_token"

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        if account.secrets.get("bot_token") != "123:abc":
            raise AuthError("Unauthorized", status=401)
        return AccountInfo(remote_id=account.secrets["chat_id"], handle=account.secrets["chat_id"])


CONNECTORS = {
    "pouet": "terrain.atelier.tests.publishing_fake.PouetConnector",
    "pouetpass": "terrain.atelier.tests.publishing_fake.PouetPasswordConnector",
    "pouetbot": "terrain.atelier.tests.publishing_fake.PouetBotConnector",
}


@pytest.fixture
def pouet(settings):
    from terrain.networks import registry

    settings.NETWORK_CONNECTORS = {**settings.NETWORK_CONNECTORS, **CONNECTORS}
    settings.NETWORK_TIMEOUT_SECONDS = 1
    settings.ATELIER_ALLOW_HTTP_SERVERS = True
    for kind in CONNECTORS:
        registry._instances.pop(kind, None)
    with PouetServer() as server:
        settings.NETWORK_API_BASES = {**settings.NETWORK_API_BASES, **dict.fromkeys(CONNECTORS, server.base_url)}
        yield server
    for kind in CONNECTORS:
        registry._instances.pop(kind, None)


def make_account(structure, *, network: str = "pouet", token: str = GOOD_TOKEN, handle: str = "@syndicat", by=None):
    return ConnectedAccount.objects.create(
        structure=structure,
        network=network,
        handle=handle,
        remote_id=handle,
        secrets={"access_token": token},
        connected_by=by,
    )


def make_message(structure, *, author, accounts, body: str = "Grève jeudi 10 h devant l'hôpital", **fields) -> Message:
    message = Message.objects.create(
        structure=structure, author=author, body=body, status=Message.Status.APPROVED, **fields
    )
    message.accounts.set(accounts)
    return message
