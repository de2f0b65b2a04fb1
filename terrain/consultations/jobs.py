"""Work the task worker does (``tasks.py``): send the invitations, close what is past its date."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from terrain.consultations.mail import send_invitation
from terrain.consultations.models import Consultation, Invitation
from terrain.consultations.selectors import token_hash
from terrain.consultations.workflow import State


def consultations_close_due(now: datetime | None = None) -> int:
    """Close the open consultations whose closing date is past (a periodic job)."""
    now = now or timezone.now()
    return Consultation.objects.filter(state=State.OPEN, closes_at__lte=now).update(state=State.CLOSED, updated_at=now)


def invitations_send(*, consultation_id: int) -> int:
    """Send the invitations not sent yet. The token is made here and only its hash is kept; for an
    anonymous consultation the address is erased as soon as its message is queued."""
    consultation = (
        Consultation.objects.select_related("structure", "structure__site").filter(pk=consultation_id).first()
    )
    if consultation is None:
        return 0
    sent = 0
    for invitation in Invitation.objects.filter(consultation=consultation, sent=False).exclude(email=""):
        token = secrets.token_urlsafe(24)
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation.pk, sent=False).update(
                sent=True, token_hash=token_hash(token), email="" if consultation.is_anonymous else F("email")
            )
            if claimed:
                send_invitation(consultation=consultation, email=invitation.email, token=token)
                sent += 1
    return sent
