"""A light Mastodon peer for the benchmark (``run.py --peer fake``): the few API calls publishing needs.

mastodon-mock is faithful but slow (about 60 statuses per second on the 2-core
benchmark machine), so it hides the engine's own speed; this threaded in-memory
peer answers the same calls (statuses with Idempotency-Key, an account's
statuses, verify_credentials) in a fraction of a millisecond.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from html import escape

from terrain.networks.fakes.server import FakeServer, Request, Response, route


class FakeMastodon(FakeServer):
    name = "fake-mastodon"

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[dict] = []
        self.by_account: dict[str, list[dict]] = {}
        self.idempotency: dict[tuple[str, str], dict] = {}
        self.ids = itertools.count(1)

    def account(self, request: Request) -> dict | None:
        token = request.bearer
        if not token.startswith("bench-token-"):
            return None
        number = token.removeprefix("bench-token-")
        return {"id": number, "username": f"section{number}", "acct": f"section{number}", "followers_count": 0}

    def dispatch(self, request: Request) -> Response:
        response = super().dispatch(request)
        self.requests.clear()  # keep memory flat over 10,000 posts
        return response

    @route("GET", r"/api/v1/instance")
    def instance(self, request: Request) -> Response:
        return Response(200, json={"uri": "127.0.0.1", "version": "4.3.0"})

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def me(self, request: Request) -> Response:
        account = self.account(request)
        return Response(200, json=account) if account else Response(401, json={"error": "invalid token"})

    @route("POST", r"/api/v1/statuses")
    def post(self, request: Request) -> Response:
        account = self.account(request)
        if account is None:
            return Response(401, json={"error": "invalid token"})
        key = request.header("idempotency-key")
        if key and (account["id"], key) in self.idempotency:
            return Response(200, json=self.idempotency[(account["id"], key)])
        form = request.form() if not request.header("content-type").startswith("application/json") else request.json()
        number = next(self.ids)
        status = {
            "id": str(number),
            "url": f"{self.base_url}/@{account['username']}/{number}",
            "content": f"<p>{escape(form.get('status', ''))}</p>",
            "created_at": datetime.now(UTC).isoformat(),
            "account": account,
            "visibility": "public",
        }
        self.statuses.append(status)
        self.by_account.setdefault(account["id"], []).insert(0, status)
        if key:
            self.idempotency[(account["id"], key)] = status
        return Response(200, json=status)

    @route("GET", r"/api/v1/accounts/(?P<account_id>[^/]+)/statuses")
    def account_statuses(self, request: Request) -> Response:
        if self.account(request) is None:
            return Response(401, json={"error": "invalid token"})
        return Response(200, json=self.by_account.get(request.params["account_id"], [])[:40])
