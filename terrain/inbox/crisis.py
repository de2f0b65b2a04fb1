"""Crisis mode: a spike of critical and hostile words against a structure, found and handled.

**The rule** (:func:`crisis_check`, run every ``INBOX_CRISIS_CHECK_MINUTES`` by the clock, and
:func:`crisis_check_structure` for one structure as soon as its inbox hears new items).
The *heat* of a structure is the number of its items that are critical or hostile (tone
triage), or that mention it. For each structure with heat in the last 6 hours:

- its **baseline** is its own heat per clock hour over the ``INBOX_CRISIS_BASELINE_DAYS``
  before those 6 hours (hours without any count as 0; a structure heard for less long, since
  its first item), and per 6-hour block the same way;
- the **threshold** of a window is ``median + INBOX_CRISIS_SPREADS x spread``, where the
  spread is the median absolute deviation scaled to a standard deviation (x 1.4826), and at
  least the square root of the median (counts of rare events vary like that even on an
  ordinary day); never below ``INBOX_CRISIS_FLOOR_HOUR`` (last hour) or
  ``INBOX_CRISIS_FLOOR_6_HOURS`` (last 6 hours), so three angry replies on a quiet account are
  no crisis;
- a crisis **opens** when the last hour's heat or the last 6 hours' heat is above its
  threshold. Items counted by a crisis already closed are not counted again: closing a crisis
  does not open the next one on the same items.

A structure has at most one open crisis (a unique constraint): two checks at once open it
once, and only the check that opened it alerts the communication officials (the structure's
officials and the workshop's approvers), in the app and by e-mail, with the items that caused
it. While it is open, every answer from the inbox waits for an approver
(``services.reply_needs_approval``).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncHour
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from terrain.inbox.models import Conversation, Crisis, Item, ItemKind, Note, Reply
from terrain.inbox.tone import Tone

HOUR = timedelta(hours=1)
WINDOW = timedelta(hours=6)
#: Items kept as the cause of a crisis (the room shows them all through their threads anyway).
CAUSE_ITEMS = 200
#: Items quoted in the alert's e-mail.
ALERT_ITEMS = 10


def heat() -> Q:
    """What counts towards a crisis: critical or hostile items, and mentions."""
    return Q(tone__in=[Tone.CRITICAL, Tone.HOSTILE]) | Q(kind=ItemKind.MENTION)


# --- Detection.


@dataclass(frozen=True)
class Threshold:
    median: float
    spread: float
    floor: int

    @property
    def value(self) -> float:
        return max(float(self.floor), self.median + settings.INBOX_CRISIS_SPREADS * self.spread)


def _threshold(counts: list[int], floor: int) -> Threshold:
    if not counts:
        return Threshold(0.0, 0.0, floor)
    median = float(statistics.median(counts))
    deviation = float(statistics.median(abs(n - median) for n in counts))
    return Threshold(median, max(1.4826 * deviation, math.sqrt(median)), floor)


@dataclass(frozen=True)
class Baseline:
    hour: Threshold
    six_hours: Threshold


def baseline(*, structure_id: int, now: datetime) -> Baseline:
    """The structure's own heat per hour and per 6 hours before the current window.

    It changes once an hour (its end is a clock hour): kept in the cache under that hour and the
    settings it depends on, so the check every few minutes reads 28 days of items once an hour."""
    end = (now - WINDOW).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    key = ":".join(
        str(part)
        for part in (
            "inbox-baseline",
            structure_id,
            end.isoformat(),
            settings.INBOX_CRISIS_BASELINE_DAYS,
            settings.INBOX_CRISIS_FLOOR_HOUR,
            settings.INBOX_CRISIS_FLOOR_6_HOURS,
        )
    )
    return cache.get_or_set(key, lambda: _baseline(structure_id, end), timeout=2 * 3600)


def _baseline(structure_id: int, end: datetime) -> Baseline:
    start = end - timedelta(days=settings.INBOX_CRISIS_BASELINE_DAYS)
    # A structure heard for three days has a baseline of three days, not of 25 silent ones.
    first = Conversation.objects.filter(structure_id=structure_id).aggregate(first=Min("first_item_at"))["first"]
    if first is not None:
        start = max(start, first.astimezone(UTC).replace(minute=0, second=0, microsecond=0))
    rows = (
        Item.objects.filter(heat(), conversation__structure_id=structure_id, created_at__gte=start, created_at__lt=end)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values_list("hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    hours = max(int((end - start) / HOUR), 0)
    per_hour = [0] * hours
    for hour, n in rows:
        index = int((hour - start) / HOUR)
        if 0 <= index < hours:
            per_hour[index] += n
    per_block = [sum(per_hour[i : i + 6]) for i in range(0, hours - hours % 6, 6)]
    return Baseline(
        hour=_threshold(per_hour, settings.INBOX_CRISIS_FLOOR_HOUR),
        six_hours=_threshold(per_block, settings.INBOX_CRISIS_FLOOR_6_HOURS),
    )


@dataclass(frozen=True)
class Spike:
    structure_id: int
    item_ids: list[int]
    cause: str


def spike_of(*, structure_id: int, now: datetime) -> Spike | None:
    """The structure's spike now, if its heat is above its baseline's thresholds."""
    since = now - WINDOW
    last_closed = (
        Crisis.objects.filter(structure_id=structure_id, closed_at__isnull=False)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    if last_closed is not None:
        since = max(since, last_closed)
    recent = list(
        Item.objects.filter(heat(), conversation__structure_id=structure_id, created_at__gte=since, created_at__lte=now)
        .order_by("created_at", "id")
        .values_list("id", "created_at")
    )
    in_hour = [pk for pk, at in recent if at >= now - HOUR]
    if not recent:
        return None
    base = baseline(structure_id=structure_id, now=now)
    if len(in_hour) > base.hour.value:
        return Spike(structure_id, in_hour, _cause(len(in_hour), base.hour, _("in the last hour")))
    if len(recent) > base.six_hours.value:
        return Spike(structure_id, [pk for pk, _at in recent], _cause(len(recent), base.six_hours, _("in 6 hours")))
    return None


def _cause(count: int, threshold: Threshold, window: str) -> str:
    return _(
        "%(count)d critical or hostile items and mentions %(window)s, against a usual %(median)s "
        "(alert above %(threshold)s)."
    ) % {
        "count": count,
        "window": window,
        "median": formats.number_format(threshold.median, 1),
        "threshold": formats.number_format(threshold.value, 1),
    }


def crisis_check(*, now: datetime | None = None) -> list[Crisis]:
    """Open a crisis for every structure whose heat spikes now (the periodic job). Returns those opened."""
    now = now or timezone.now()
    # Through the threads' indexed last item: every structure heard in the window (a superset of
    # those with heat), without scanning the items of every structure.
    busy = set(
        Conversation.objects.filter(last_item_at__gte=now - WINDOW).values_list("structure_id", flat=True).distinct()
    )
    busy -= set(Crisis.objects.filter(state=Crisis.State.OPEN).values_list("structure_id", flat=True))
    opened = []
    for structure_id in sorted(busy):
        spike = spike_of(structure_id=structure_id, now=now)
        if spike is not None:
            crisis = crisis_open(spike=spike, now=now)
            if crisis is not None:
                opened.append(crisis)
    return opened


def crisis_check_structure(structure_id: int, *, now: datetime | None = None) -> Crisis | None:
    """The clock's check for one structure, at once: its inbox has just heard new items
    (``tasks.read_account_stream_task``). Returns the crisis opened, if any."""
    now = now or timezone.now()
    if Crisis.objects.filter(structure_id=structure_id, state=Crisis.State.OPEN).exists():
        return None
    spike = spike_of(structure_id=structure_id, now=now)
    return crisis_open(spike=spike, now=now) if spike is not None else None


def default_statement() -> str:
    return _(
        "{structure} has read your messages about what happened on {date}. We are looking into it with the "
        "people concerned and will answer here shortly. Thank you for your patience."
    )


def statement_template(structure_id: int) -> str:
    """What a new crisis's statement starts from: the last one the team wrote (with its
    placeholders), so a structure's own wording is kept from one crisis to the next."""
    last = (
        Crisis.objects.filter(structure_id=structure_id, statement_updated_at__isnull=False)
        .order_by("-statement_updated_at")
        .values_list("statement", flat=True)
        .first()
    )
    return last or default_statement()


def fill_statement(text: str, *, structure, when: datetime) -> str:
    """The statement with its placeholders filled (plain replacements: a brace typed by the team stays)."""
    day = formats.date_format(timezone.localtime(when).date(), "DATE_FORMAT")
    return text.replace("{structure}", structure.name).replace("{date}", day)


@transaction.atomic
def crisis_open(*, spike: Spike, now: datetime) -> Crisis | None:
    """Open the crisis of a spike and alert, once: None when the structure already has one open."""
    try:
        with transaction.atomic():
            crisis = Crisis.objects.create(
                structure_id=spike.structure_id,
                opened_at=now,
                cause=spike.cause[:500],
                item_ids=spike.item_ids[:CAUSE_ITEMS],
                statement=statement_template(spike.structure_id),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: crisis_alert(crisis.pk))
    return crisis


def communication_officials(structure) -> list:
    """Who handles the structure's communication in bad times: its officials and the workshop's approvers."""
    from terrain.accounts.models import User
    from terrain.atelier.models import Strategy

    approvers = Strategy.objects.filter(structure=structure).values_list("approvers", flat=True)
    return list(
        User.objects.filter(Q(mandates__structure=structure) | Q(pk__in=approvers), is_active=True)
        .distinct()
        .order_by("pk")
    )


def crisis_alert(crisis_id: int) -> int:
    """Tell the communication officials that a crisis opened, in the app and by e-mail. Returns how many."""
    from terrain.feed.services import notifications_and_emails_send

    crisis = Crisis.objects.select_related("structure").get(pk=crisis_id)
    items = list(Item.objects.filter(pk__in=crisis.item_ids[:ALERT_ITEMS]).order_by("created_at", "id"))
    return notifications_and_emails_send(
        users=communication_officials(crisis.structure),
        reason="inbox_crisis",
        summary=lambda: (
            _("Crisis in the inbox of %(structure)s: %(cause)s")
            % {"structure": crisis.structure.name, "cause": crisis.cause}
        ),
        target_url=reverse("inbox_crisis:room", args=[crisis.code]),
        email_template="inbox/email/crisis_opened",
        email_context={
            "crisis": crisis,
            "structure": crisis.structure,
            "items": items,
            "more": max(len(crisis.item_ids) - len(items), 0),
        },
    )


# --- Handling.


def is_in_crisis(structure) -> bool:
    return Crisis.objects.filter(structure=structure, state=Crisis.State.OPEN).exists()


@transaction.atomic
def crisis_statement_update(*, crisis: Crisis, text: str, by) -> bool:
    """Change the holding statement of an open crisis. False when it closed meanwhile."""
    return bool(
        Crisis.objects.filter(pk=crisis.pk, state=Crisis.State.OPEN).update(
            statement=text.strip()[:2000], statement_updated_at=timezone.now(), statement_updated_by=by
        )
    )


@transaction.atomic
def crisis_close(*, crisis: Crisis, by) -> bool:
    """Close the crisis: answers go out as usual again. False when it was closed already."""
    now = timezone.now()
    return bool(
        Crisis.objects.filter(pk=crisis.pk, state=Crisis.State.OPEN).update(
            state=Crisis.State.CLOSED, closed_at=now, closed_by=by, updated_at=now
        )
    )


def window(crisis: Crisis) -> tuple[datetime, datetime]:
    """What the crisis covers: from 6 hours before it opened to its closing (or now)."""
    return crisis.opened_at - WINDOW, crisis.closed_at or timezone.now()


def crisis_threads(crisis: Crisis) -> list[Conversation]:
    """The threads with items in the crisis's window, most urgent first."""
    start, end = window(crisis)
    ids = (
        Item.objects.filter(conversation__structure_id=crisis.structure_id, created_at__gte=start, created_at__lte=end)
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    return list(
        Conversation.objects.filter(pk__in=ids)
        .select_related("account", "watch", "assignee")
        .order_by("priority", "-last_item_at", "id")
    )


@dataclass(frozen=True)
class Moment:
    """One line of a crisis's timeline."""

    at: datetime
    what: str
    who: str
    text: str
    url: str = ""
    thread: str = ""


def crisis_timeline(crisis: Crisis) -> list[Moment]:
    """What was said and done during the crisis, in order: their items, our answers, our notes,
    the statement and the crisis's own changes. Four queries."""
    start, end = window(crisis)
    threads = [c.pk for c in crisis_threads(crisis)]
    moments = [Moment(crisis.opened_at, _("Crisis opened"), "", crisis.cause)]
    items = Item.objects.filter(conversation_id__in=threads, created_at__gte=start, created_at__lte=end)
    for item in items.select_related("conversation").order_by("created_at", "id"):
        moments.append(
            Moment(
                item.created_at,
                _("%(kind)s (%(tone)s)") % {"kind": item.get_kind_display(), "tone": item.get_tone_display()},
                item.author_name or item.author_handle,
                item.text,
                item.url,
                item.conversation.code,
            )
        )
    replies = Reply.objects.filter(conversation_id__in=threads, created_at__gte=start, created_at__lte=end)
    for reply in replies.select_related("author", "conversation").order_by("created_at", "id"):
        what = _("Our answer (%(state)s)") % {"state": reply.get_state_display()}
        at = reply.sent_at or reply.created_at
        author = str(reply.author) if reply.author else ""
        moments.append(Moment(at, what, author, reply.text, reply.url, reply.conversation.code))
    notes = Note.objects.filter(conversation_id__in=threads, created_at__gte=start, created_at__lte=end)
    for note in notes.select_related("author", "conversation").order_by("created_at", "id"):
        author = str(note.author) if note.author else ""
        moments.append(Moment(note.created_at, _("Internal note"), author, note.text, "", note.conversation.code))
    if crisis.statement_updated_at:
        by = str(crisis.statement_updated_by) if crisis.statement_updated_by else ""
        moments.append(Moment(crisis.statement_updated_at, _("Holding statement changed"), by, crisis.statement))
    if crisis.closed_at:
        by = str(crisis.closed_by) if crisis.closed_by else ""
        moments.append(Moment(crisis.closed_at, _("Crisis closed"), by, ""))
    return sorted(moments, key=lambda moment: moment.at)


def timeline_exported(*, crisis: Crisis, by, rows: int) -> None:
    """Record who took the timeline (what outsiders wrote leaves the platform)."""
    from terrain.core.models import AuditEntry
    from terrain.core.services import audit_record

    audit_record(
        actor=by,
        action=AuditEntry.Action.EXPORT_PERSONAL,
        target=crisis,
        detail={"what": "crisis timeline", "rows": rows},
    )
