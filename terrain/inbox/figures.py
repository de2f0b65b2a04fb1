"""Response figures of a structure's inbox: how much came in, how much we answered, how fast.

Read over a period ``[since, until)``:

- *items received*: items written in the period (``Item.created_at``);
- *conversations*: threads whose first item is in the period; *answered*: those with a sent
  answer (``Conversation.first_reply_at``, set when our first answer went out);
- *median time to first reply*: the median of ``first_reply_at - first_item_at`` over the
  answered conversations, computed in Python over the period's rows (two small columns per
  thread: portable to SQLite and PostgreSQL, exact);
- *answered within 24 hours*: the share of the period's conversations answered within a day.

Each figure is given for the whole structure, per network and per tone of the thread.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils.translation import gettext as _

from terrain.inbox.models import Conversation, Item, Status
from terrain.inbox.tone import Tone
from terrain.networks import registry

PERIODS = {"7": 7, "30": 30, "90": 90}
WITHIN = timedelta(hours=24)


@dataclass
class Line:
    """The figures of one slice (all, a network, a tone)."""

    key: str
    label: str
    received: int = 0
    conversations: int = 0
    answered: int = 0
    within_day: int = 0
    delays: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def median(self) -> timedelta | None:
        return statistics.median(self.delays) if self.delays else None

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def answered_share(self) -> int | None:
        """Percent of the conversations answered (None without conversations)."""
        return round(100 * self.answered / self.conversations) if self.conversations else None

    @property
    def within_day_share(self) -> int | None:
        return round(100 * self.within_day / self.conversations) if self.conversations else None


@dataclass
class Figures:
    since: datetime
    until: datetime
    total: Line
    networks: list[Line]
    tones: list[Line]


def _network_label(kind: str) -> str:
    return registry.label(kind) if kind else _("News feeds")


def response_figures(*, structure, since: datetime, until: datetime) -> Figures:
    """The figures of ``structure`` over ``[since, until)``: three queries, whatever the volume."""
    total = Line("", _("All networks"))
    networks: dict[str, Line] = {}
    tones = {tone.value: Line(tone.value, str(tone.label)) for tone in Tone}

    def network(kind: str) -> Line:
        if kind not in networks:
            networks[kind] = Line(kind, _network_label(kind))
        return networks[kind]

    received = (
        Item.objects.filter(conversation__structure=structure, created_at__gte=since, created_at__lt=until)
        .values_list("conversation__network", "tone")
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, tone, n in received:
        total.received += n
        network(kind).received += n
        if tone in tones:
            tones[tone].received += n
    threads = Conversation.objects.filter(
        structure=structure, first_item_at__gte=since, first_item_at__lt=until
    ).values_list("network", "tone", "first_item_at", "first_reply_at")
    for kind, tone, first_item_at, first_reply_at in threads:
        lines = [total, network(kind)] + ([tones[tone]] if tone in tones else [])
        delay = first_reply_at - first_item_at if first_reply_at is not None else None
        for line in lines:
            line.conversations += 1
            if delay is not None:
                line.answered += 1
                line.delays.append(max(delay, timedelta(0)))
                if delay <= WITHIN:
                    line.within_day += 1
    ordered = sorted(networks.values(), key=lambda line: (line.key == "", registry.display_order(line.key)))
    return Figures(
        since=since,
        until=until,
        total=total,
        networks=ordered,
        tones=[line for line in tones.values() if line.received or line.conversations],
    )


def waiting_longest(*, structure, limit: int = 5) -> list[Conversation]:
    """The open conversations (new or in progress) waiting longest for us, oldest first."""
    return list(
        Conversation.objects.filter(
            structure=structure, status__in=[Status.NEW, Status.IN_PROGRESS], first_reply_at__isnull=True
        )
        .select_related("account", "watch")
        .order_by("first_item_at", "id")[:limit]
    )


def duration_text(value: timedelta | None) -> str:
    """A delay in words a team reads at a glance: "35 min", "4 h 10", "2 days 3 h"."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d days %(h)d h") % {"d": days, "h": hours}
