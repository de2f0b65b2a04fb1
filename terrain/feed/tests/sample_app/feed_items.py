"""The sample app's kind of item: found at start-up by ``feed.apps`` like every app's ``feed_items``."""

from __future__ import annotations

from terrain.cooperatives.models import Cooperative
from terrain.feed.items import ItemKind, register

RENAMED = "sample_renamed"

KIND = register(
    ItemKind(
        verb=RENAMED,
        label="renamed the cooperative",
        model=Cooperative,
        broadcast=True,
        related=("created_by",),
        template="sample_app/_renamed.html",
    )
)
