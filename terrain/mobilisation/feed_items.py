"""The agenda in the members' feed (``feed.items``): an official published an event.

The card goes to every member of the structure's own cooperative when an event is first
published, so the members hear of the demonstration, strike or drop-in hours of their structure
where they already read; it links to the event's public page once the site is published.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.feed.items import ItemKind, register
from terrain.mobilisation.models import Event

EVENT_PUBLISHED = "mobilisation_event_published"

register(
    ItemKind(
        verb=EVENT_PUBLISHED,
        label=_("announced an event"),
        model=Event,
        broadcast=True,
        related=("structure__site",),
        template="mobilisation/_feed_event.html",
    )
)
