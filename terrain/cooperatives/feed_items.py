"""The cooperatives in the feed (``feed.items``): someone joined."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register

MEMBER_JOINED = "member_joined"

# No target: the card shows the activity's actor and cooperative, loaded with every page.
register(
    ItemKind(
        verb=MEMBER_JOINED, label=_("joined the cooperative"), broadcast=True, template="feed/items/_member_joined.html"
    )
)
