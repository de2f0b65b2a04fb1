"""A light Mastodon peer for the inbox benchmark: each account's mentions, paged as Mastodon pages them.

mastodon-mock is faithful but slow to seed with 100,000 statuses; this peer makes each
account's mentions up from its number (deterministic: the same text for the same id) and
answers ``GET /api/v1/notifications?types[]=mention&min_id=&limit=`` the way Mastodon does:
the ``limit`` notifications just after ``min_id``, newest first. Started in its own process
by ``run.py`` so that its work is not charged to the workers.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from html import escape

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))

from terrain.networks.fakes.server import FakeServer, Request, Response, route

START = datetime(2026, 11, 1, tzinfo=UTC)
COMMENTS = (
    "Bravo les camarades, merci pour tout !",
    "C'est quand la prochaine assemblée générale ?",
    "Vous êtes des vendus, honte à vous",
    "Je ne suis pas d'accord avec ce mot d'ordre, c'est scandaleux",
    "Merci pour l'info, je partage",
    "Où peut-on signer la pétition ?",
    "Encore une grève pour rien, on en a marre",
    "Rendez-vous devant l'hôpital à 12 h",
    "Est-ce que les temps partiels sont concernés ?",
    "Des nuls, comme d'habitude",
)


class InboxPeer(FakeServer):
    name = "inbox-peer"

    def __init__(self, per_account: int) -> None:
        super().__init__()
        self.per_account = per_account

    def dispatch(self, request: Request) -> Response:
        response = super().dispatch(request)
        self.requests.clear()  # keep memory flat over thousands of pages
        return response

    @staticmethod
    def account(request: Request) -> str | None:
        token = request.bearer
        return token.removeprefix("bench-token-") if token.startswith("bench-token-") else None

    def status(self, account: str, number: int) -> dict:
        author = f"personne{number % 97}"
        text = f"@section{account} {COMMENTS[(number + int(account)) % len(COMMENTS)]} ({number})"
        return {
            "id": f"{account}-{number}",
            "created_at": (START + timedelta(minutes=number)).isoformat(),
            "content": f"<p>{escape(text)}</p>",
            "url": f"{self.base_url}/@{author}/{account}-{number}",
            "visibility": "public",
            "in_reply_to_id": f"{account}-post-{number % 20}",
            "in_reply_to_account_id": account,
            "account": {"id": author, "acct": f"{author}@exemple.fr", "display_name": author.title(), "url": ""},
        }

    @route("GET", r"/api/v1/notifications")
    def notifications(self, request: Request) -> Response:
        account = self.account(request)
        if account is None:
            return Response(401, json={"error": "The access token is invalid"})
        limit = min(int(request.arg("limit") or 40), 80)
        after = int(request.arg("min_id") or self.per_account - limit)
        numbers = range(max(after, 0) + 1, min(after + limit, self.per_account) + 1)
        page = [
            {"id": str(number), "type": "mention", "created_at": "", "status": self.status(account, number)}
            for number in reversed(numbers)
        ]
        return Response(200, json=page)


if __name__ == "__main__":
    import time

    peer = InboxPeer(per_account=int(sys.argv[1]))
    peer.start()
    print(peer.base_url, flush=True)
    while True:
        time.sleep(3600)
