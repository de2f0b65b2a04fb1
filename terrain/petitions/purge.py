"""What the petitions forget on schedule (run by the periodic job, harmless twice)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from terrain.petitions.models import Petition, Signature

#: An unconfirmed signature is erased after this delay (its confirmation link expires too).
UNCONFIRMED_KEPT = timedelta(days=7)


def signatures_purge() -> dict[str, int]:
    """Erase unconfirmed signatures older than a week, and every signature of petitions
    closed (or ended) more than ``PETITION_RETENTION_DAYS`` ago.

    The count stays on the petition: "4,210 signatures" remains true once the names are gone.
    """
    now = timezone.now()
    with transaction.atomic():
        unconfirmed, _ = Signature.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT
        ).delete()
    cutoff = now - timedelta(days=settings.PETITION_RETENTION_DAYS)
    expired = Petition.objects.filter(
        Q(state=Petition.State.CLOSED, closed_at__lt=cutoff) | Q(ends_on__lt=timezone.localdate(cutoff))
    ).values("pk")
    with transaction.atomic():
        old, _ = Signature.objects.filter(petition__in=expired).delete()
    return {"unconfirmed": unconfirmed, "expired": old}
