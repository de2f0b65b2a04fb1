"""Run a fake network on a local port: ``python -m terrain.networks.fakes <kind> --port N``.

Prints the base URL on the first line of standard output (point Terrain at it with
``NETWORK_API_BASES="<kind>=<url>"``), the seeded account's credentials on standard
error, then serves until interrupted. ``mastodon`` runs mastodon-mock (in memory);
every other kind runs the :class:`FakeServer` subclass of ``terrain/networks/fakes/<kind>.py``.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import threading
from importlib import import_module

from terrain.networks.fakes.server import FakeServer


def fake_class(kind: str) -> type[FakeServer]:
    try:
        module = import_module(f"terrain.networks.fakes.{kind}")
    except ModuleNotFoundError:
        raise SystemExit(f"No fake network named {kind!r} (terrain/networks/fakes/{kind}.py)") from None
    for _, value in inspect.getmembers(module, inspect.isclass):
        if issubclass(value, FakeServer) and value is not FakeServer and value.__module__ == module.__name__:
            return value
    raise SystemExit(f"No fake server in terrain/networks/fakes/{kind}.py")


def credentials(server: FakeServer) -> str:
    """What a demo needs to connect an account to this fake (its seeded account)."""
    kind = server.name
    if kind == "bluesky":
        account = next(iter(server.accounts.values()))
        return f"handle={account.handle} app_password={account.password}"
    if kind == "telegram":
        from terrain.networks.fakes.telegram import BOT_TOKEN

        channel = next(iter(server.channels.values()))
        return f"bot_token={BOT_TOKEN} chat_id=@{channel.username}"
    if kind == "x":
        from terrain.networks.fakes.x import CLIENT_ID, CLIENT_SECRET

        tokens = server.issue_tokens(expires_in=30 * 86400)
        return (
            f"X_CLIENT_ID={CLIENT_ID} X_CLIENT_SECRET={CLIENT_SECRET} "
            f"access_token={tokens['access_token']} refresh_token={tokens['refresh_token']}"
        )
    return ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m terrain.networks.fakes", description=__doc__.splitlines()[0])
    parser.add_argument("kind", help="mastodon, bluesky, telegram, x, or any fake in terrain/networks/fakes/")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    args = parser.parse_args(argv)

    if args.kind == "mastodon":
        from mastodon_mock.cli import main as mastodon_mock

        port = args.port or 3000
        print(f"http://127.0.0.1:{port}", flush=True)
        print("access_token=mock_token (user testuser)", file=sys.stderr, flush=True)
        mastodon_mock(["serve", "--in-memory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"])
        return

    server = fake_class(args.kind)()
    print(server.start(args.port), flush=True)
    if text := credentials(server):
        print(text, file=sys.stderr, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
