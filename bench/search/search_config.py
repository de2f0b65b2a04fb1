"""The search benchmark's datasets: the feed's scale dataset (``bench/feed``), in databases of
its own (the feed benchmark may rebuild its own at any time), plus search documents."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "feed"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
sys.path.insert(2, str(Path(__file__).resolve().parents[2]))

from config import VAR
from config import Config as FeedConfig

# The search documents added to the feed's dataset, per scale (``documents.py``).
DOCUMENTS = {
    "full": {"topics": 20_000, "replies": 80_000, "faq": 5_000, "files": 200_000},
    "small": {"topics": 1_000, "replies": 4_000, "faq": 250, "files": 4_000},
}
# Bump when documents.py changes what it writes.
DOCUMENTS_VERSION = 4  # 4: the dataset's real forum, FAQ and library rows
# generate_dataset's option for each count.
OPTIONS = {"topics": "topics", "replies": "replies", "faq": "faq-entries", "files": "files"}


@dataclass
class Config(FeedConfig):
    documents: dict[str, int] = field(default_factory=dict)

    @property
    def scale_options(self) -> dict[str, int]:
        return {**super().scale_options, **{OPTIONS[name]: count for name, count in self.documents.items()}}

    @property
    def sqlite_path(self) -> Path:
        return VAR / ("search.sqlite3" if self.scale == "full" else f"search-{self.scale}.sqlite3")

    @property
    def postgres_name(self) -> str:
        return "terrain_search_bench" if self.scale == "full" else f"terrain_search_bench_{self.scale}"
