"""The local Mastodon peer of the benchmark: mastodon-mock with N seeded accounts.

    python bench/publish/peer.py --port 3999 --accounts 2000 --db var/bench-publish/peer.sqlite3 [--processes 2]

Account i is ``section{i}`` with the access token ``bench-token-{i}``.

``--processes``: how many processes serve the instance (uvicorn workers sharing the
port and the SQLite database, as a real instance runs several Puma workers). One
mastodon-mock process takes about 8 ms of CPU per status: alone it cannot answer
more than about 120 statuses a second, whatever the client does. The accounts are
seeded once, before the workers start; each worker numbers its statuses on its own
residue (status ids stay unique and increasing in each process, as Mastodon's
snowflakes do).
"""

from __future__ import annotations

import argparse
import fcntl
import itertools
import json
import os
import time
from pathlib import Path

import uvicorn
from mastodon_mock import ids
from mastodon_mock.app import create_app
from mastodon_mock.config import (
    DatabaseConfig,
    MastodonMockConfig,
    SeedAccount,
    SeedConfig,
    StreamingConfig,
)

HERE = Path(__file__).resolve().parent
_ARGS = "TERRAIN_BENCH_PEER"


def token(i: int) -> str:
    return f"bench-token-{i}"


def config(args: dict, *, seed: bool) -> MastodonMockConfig:
    accounts = [SeedAccount(username=f"section{i}", access_token=token(i)) for i in range(args["accounts"])]
    return MastodonMockConfig(
        domain=f"127.0.0.1:{args['port']}",
        url_scheme="http",
        database=DatabaseConfig(path=args["db"]),
        media_storage_path=f"{args['db']}.media",  # shared by the workers
        streaming=StreamingConfig(enabled=False),
        seed=SeedConfig(accounts=accounts if seed else []),
    )


def worker_app():
    """One worker's app (uvicorn's factory): no seeding, its own residue of status ids."""
    args = json.loads(os.environ[_ARGS])
    with open(f"{args['db']}.workers", "a+") as counter:  # the workers number themselves 0, 1, ...
        fcntl.flock(counter, fcntl.LOCK_EX)
        counter.seek(0)
        index = len(counter.read())
        counter.write("x")
    ids._counter = itertools.count(int(time.time() * 1000) * args["processes"] + index, args["processes"])
    return create_app(config(args, seed=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--processes", type=int, default=1)
    args = vars(parser.parse_args())
    for suffix in ("", "-wal", "-shm", ".workers"):
        Path(f"{args['db']}{suffix}").unlink(missing_ok=True)
    serve = {"host": "127.0.0.1", "port": args["port"], "log_level": "warning", "access_log": False}
    if args["processes"] == 1:
        uvicorn.run(create_app(config(args, seed=True)), **serve)
        return
    create_app(config(args, seed=True))  # the tables and the accounts, once
    os.environ[_ARGS] = json.dumps(args)
    uvicorn.run("peer:worker_app", factory=True, workers=args["processes"], app_dir=str(HERE), **serve)


if __name__ == "__main__":
    main()
