"""The local Mastodon peer of the benchmark: mastodon-mock with N seeded accounts, one process.

    python bench/publish/peer.py --port 3999 --accounts 2000 --db var/bench-publish/peer.sqlite3

Account i is ``section{i}`` with the access token ``bench-token-{i}``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from mastodon_mock.app import create_app
from mastodon_mock.config import (
    DatabaseConfig,
    MastodonMockConfig,
    SeedAccount,
    SeedConfig,
    StreamingConfig,
)


def token(i: int) -> str:
    return f"bench-token-{i}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    config = MastodonMockConfig(
        domain=f"127.0.0.1:{args.port}",
        url_scheme="http",
        database=DatabaseConfig(path=args.db),
        streaming=StreamingConfig(enabled=False),
        seed=SeedConfig(
            accounts=[SeedAccount(username=f"section{i}", access_token=token(i)) for i in range(args.accounts)]
        ),
    )
    uvicorn.run(create_app(config), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
