"""Where the benchmark's dataset lives and the environment every process of it shares."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VAR = REPO / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379/7"

SCALES = {
    # The confederation: what the targets are about.
    "full": {"members": 100_000, "structures": 10_000, "cooperatives": 10_000, "items": 2_000_000},
    # A quick smoke run of the whole chain (about a minute).
    "small": {"members": 2_000, "structures": 200, "cooperatives": 400, "items": 40_000},
}
# Bump when the generator changes what it writes: the dataset is then rebuilt.
DATASET_VERSION = 4  # 2: activities point at their target (feed.items); 3: forum, FAQ, library; 4: late answers spread


@dataclass
class Config:
    database: str  # "sqlite" or "postgres"
    scale: str
    redis: bool = False  # the caches (feed cards, sessions) in Redis instead of files and memory
    seed: int = 2027
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64))

    @property
    def scale_options(self) -> dict[str, int]:
        return {**SCALES[self.scale], "seed": self.seed}

    @property
    def dataset_params(self) -> dict:
        return {"version": DATASET_VERSION, "database": self.database, **self.scale_options}

    @property
    def sqlite_path(self) -> Path:
        return VAR / ("feed.sqlite3" if self.scale == "full" else f"feed-{self.scale}.sqlite3")

    @property
    def postgres_name(self) -> str:
        return "terrain_bench" if self.scale == "full" else f"terrain_bench_{self.scale}"

    @property
    def env(self) -> dict[str, str]:
        """The environment of the build, the server and this process: production-like, loopback only."""
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="terrain.settings",
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1",
            AXES_ENABLED="0",
            TERRAIN_BENCH_FLOOR="1",
            TERRAIN_VAR_DIR=str(VAR),
            TASK_BACKEND="database",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.redis:
            env["REDIS_URL"] = REDIS_SERVER  # its own database number: emptied at the start of a run
        if self.database == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{self.postgres_name}"
        else:
            env["SQLITE_PATH"] = str(self.sqlite_path)
        return env
