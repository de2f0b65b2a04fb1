"""Helpers for connectors whose inbox reads the comments of the account's recent posts.

Networks such as Facebook, Instagram and LinkedIn have no "notifications since" call for a
Page: the inbox reads the comments of the last posts, each from where it stopped. The
cursor (:class:`PostCursor`) is a small JSON object ``{post id: [last time, [ids at that
time]]}``: the time alone would either read again or lose a comment written in the same
second as the last one read, so the ids seen at that very second are kept too. Only the
posts still among the recent ones are kept, so the cursor stays bounded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

#: How many recent posts the inbox reads the comments of.
RECENT_POSTS = 25
#: How many ids seen at the last second are kept per post (more in one second is improbable).
SAME_SECOND = 50


def parse_time(value: Any) -> datetime | None:
    """A network's time: ISO 8601 (``2026-11-21T06:40:00+0000``), or milliseconds since the epoch."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():  # +0000 → +00:00
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class PostCursor:
    """Where the reading of each recent post stands (see the module docstring)."""

    def __init__(self, raw: str = "") -> None:
        self.posts: dict[str, list[Any]] = {}
        try:
            loaded = json.loads(raw) if raw else {}
        except ValueError:
            loaded = {}  # a cursor from another version: start again, the inbox drops what it holds
        if isinstance(loaded, dict):
            for key, value in loaded.items():
                if (
                    isinstance(value, list)
                    and len(value) == 2
                    and isinstance(value[0], int | float)
                    and isinstance(value[1], list)
                ):
                    self.posts[str(key)] = [float(value[0]), [str(i) for i in value[1]][:SAME_SECOND]]

    def since(self, post_id: str) -> float | None:
        """The last time read for this post (seconds since the epoch), None for a post never read."""
        entry = self.posts.get(post_id)
        return entry[0] if entry else None

    def is_new(self, post_id: str, when: datetime, item_id: str) -> bool:
        entry = self.posts.get(post_id)
        if entry is None:
            return True
        stamp = when.timestamp()
        return stamp > entry[0] or (stamp == entry[0] and item_id not in entry[1])

    def advance(self, post_id: str, when: datetime, item_id: str) -> None:
        stamp = when.timestamp()
        entry = self.posts.get(post_id)
        if entry is None or stamp > entry[0]:
            self.posts[post_id] = [stamp, [item_id]]
        elif stamp == entry[0] and item_id not in entry[1]:
            entry[1] = [*entry[1], item_id][-SAME_SECOND:]

    def start(self, post_id: str, stamp: float) -> None:
        """A post first seen: read what came after ``stamp`` (its own time: every comment)."""
        self.posts.setdefault(post_id, [stamp, []])

    def keep_only(self, post_ids: list[str]) -> None:
        """Forget the posts no longer among the recent ones (the cursor stays small)."""
        wanted = set(post_ids)
        self.posts = {key: value for key, value in self.posts.items() if key in wanted}

    def dumps(self) -> str:
        return json.dumps(self.posts, separators=(",", ":"), sort_keys=True)
