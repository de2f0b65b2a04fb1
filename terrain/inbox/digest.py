"""The weekly digest of the inbox, to the communication officials of each structure.

On Monday from ``INBOX_DIGEST_HOUR`` (Europe/Paris), each structure that has an active connected
account or an active keyword watch gets one e-mail per official: last week's response figures
(Monday to Monday, local time) and the open conversations waiting longest. A
:class:`~terrain.inbox.models.DigestSent` row, unique per structure and week, is written in the
transaction that sends: the job runs every 15 minutes and may run twice, a structure hears once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from terrain.inbox.crisis import communication_officials
from terrain.inbox.figures import response_figures, waiting_longest
from terrain.inbox.models import DigestSent
from terrain.structures.models import Structure

PARIS = ZoneInfo("Europe/Paris")


def digest_week(now: datetime) -> date | None:
    """The Monday whose digest is due at ``now``, or None outside Monday's sending hours."""
    local = now.astimezone(PARIS)
    if local.weekday() != 0 or local.hour < settings.INBOX_DIGEST_HOUR:
        return None
    return local.date()


def structures_with_inbox():
    """Structures with an active connected account or an active watch."""
    from terrain.atelier.models import ConnectedAccount

    return Structure.objects.filter(
        Q(pk__in=ConnectedAccount.objects.filter(status=ConnectedAccount.Status.ACTIVE).values("structure_id"))
        | Q(watches__active=True)
    ).distinct()


def digests_send(*, now: datetime | None = None) -> int:
    """Send the week's digest of every structure not served yet (the periodic job). Returns how many structures."""
    now = now or timezone.now()
    week = digest_week(now)
    if week is None:
        return 0
    done = set(DigestSent.objects.filter(week=week).values_list("structure_id", flat=True))
    sent = 0
    for structure in structures_with_inbox().exclude(pk__in=done).order_by("pk"):
        sent += digest_send(structure=structure, week=week)
    return sent


@transaction.atomic
def digest_send(*, structure: Structure, week: date) -> int:
    """The digest of ``structure`` for the week starting ``week``: 1 when sent now, 0 when sent already."""
    from terrain.accounts.services import email_send

    until = datetime.combine(week, time.min, tzinfo=PARIS)
    since = datetime.combine(week - timedelta(days=7), time.min, tzinfo=PARIS)
    users = [u for u in communication_officials(structure) if u.email and u.email_notifications]
    try:
        with transaction.atomic():
            DigestSent.objects.create(structure=structure, week=week, recipients=len(users))
    except IntegrityError:
        return 0
    figures = response_figures(structure=structure, since=since, until=until)
    waiting = waiting_longest(structure=structure)
    link = settings.SITE_URL + reverse("inbox_crisis:figures", args=[structure.code])
    for user in users:
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            email_send(
                template="inbox/email/weekly_digest",
                context={
                    "structure": structure,
                    "figures": figures,
                    "since": since.date(),
                    "until": (until - timedelta(days=1)).date(),
                    "waiting": waiting,
                    "link": link,
                    "site_name": settings.SITE_NAME,
                },
                to=[user.email],
            )
    return 1
