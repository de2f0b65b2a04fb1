"""Settings of the benchmark's processes: Terrain's own, plus the connector chosen by run.py."""

from __future__ import annotations

import os

from terrain.settings import *  # noqa: F403

if os.environ.get("BENCH_CONNECTOR"):
    NETWORK_CONNECTORS = {"mastodon": os.environ["BENCH_CONNECTOR"]}
