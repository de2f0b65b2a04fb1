"""The relays in the feed (``feed.items``): a published message that the structure's members may
relay. It joins the card of the message (``atelier.feed_items``) when both are on the page, and
leads it: the card then ends with the way to relay it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.atelier.feed_items import message_card_key
from terrain.atelier.models import Message
from terrain.feed.items import ItemKind, register

RELAY_CAMPAIGN = "relay_campaign"

register(
    ItemKind(
        verb=RELAY_CAMPAIGN,
        label=_("asks the members to relay a message"),
        model=Message,
        broadcast=True,
        related=("structure",),
        template="relays/feed/_relay_campaign.html",
        group=message_card_key,
        leads=True,
        url=lambda activity: reverse("relays:message", args=[activity.target.code]),
    )
)
