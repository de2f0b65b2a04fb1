"""Writes of the petitions: every change goes through here.

Signing never tells a visitor whether an address has signed already: the same
address asking again gets (at most every ``RESEND_AFTER``) the same confirmation
e-mail, or nothing, and the same page either way.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.petitions.models import Petition, Signature
from terrain.petitions.tasks import signature_confirmation_task
from terrain.structures.models import Structure

#: A second signature with the same address within this delay sends nothing (no mail bombing).
RESEND_AFTER = timedelta(minutes=10)
EDITABLE = ("title", "text", "goal", "image_alt", "ends_on")

#: Which state may follow which, and the one function that moves a petition (petition_move).
TRANSITIONS = {
    Petition.State.DRAFT: {Petition.State.OPEN},
    Petition.State.OPEN: {Petition.State.CLOSED},
    Petition.State.CLOSED: {Petition.State.OPEN},
}


def _check(petition: Petition) -> None:
    errors = {}
    if petition.image and not petition.image_alt.strip():
        errors["image_alt"] = _("Describe the image for people who cannot see it.")
    if petition.goal < 1:
        errors["goal"] = _("The goal is at least one signature.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def petition_save(
    *, structure: Structure, by, petition: Petition | None = None, image=None, clear_image: bool = False, **values
) -> Petition:
    """Create a petition (a draft) or change one; the image needs its description."""
    if petition is None:
        petition = Petition(structure=structure, created_by=by)
    elif petition.structure_id != structure.pk:
        raise ValidationError(_("This petition belongs to another structure."))
    for key in EDITABLE:
        if key in values:
            value = values[key]
            setattr(petition, key, value.strip() if isinstance(value, str) else value)
    if clear_image:
        petition.image = ""
    if image is not None:
        petition.image = image
    _check(petition)
    petition.full_clean(exclude=["structure", "image", "created_by"])
    petition.save()
    return petition


@transaction.atomic
def petition_move(*, petition: Petition, to: str, by) -> Petition:
    """Open, close or reopen a petition (see ``TRANSITIONS``)."""
    current = Petition.objects.select_for_update().get(pk=petition.pk)
    if to == current.state:
        return current
    if to not in TRANSITIONS[current.state]:
        raise ValidationError(
            _("This petition cannot go from “%(from)s” to “%(to)s”.")
            % {"from": current.get_state_display(), "to": Petition.State(to).label}
        )
    now = timezone.now()
    current.state = to
    if to == Petition.State.OPEN:
        current.opened_at = current.opened_at or now
        current.closed_at = None
    else:
        current.closed_at = now
    current.save(update_fields=["state", "opened_at", "closed_at", "updated_at"])
    return current


def normalised_email(email: str) -> str:
    return email.strip().lower()


def _mark(petition: Petition, field: str) -> None:
    Petition.objects.filter(pk=petition.pk).update(**{field: F(field) + 1})


def submission_refused_robot(*, petition: Petition) -> None:
    """A robot filled the hidden field: nothing stored but the count."""
    _mark(petition, "refused_robot")


def submission_refused_throttled(*, petition: Petition) -> None:
    """One client sent too many signatures in a short time: nothing stored but the count."""
    _mark(petition, "refused_throttled")


@transaction.atomic
def signature_request(
    *,
    petition: Petition,
    first_name: str,
    last_name: str,
    email: str,
    postal_code: str = "",
    comment: str = "",
    show_name: bool = False,
    language: str = "fr",
) -> None:
    """Someone signs: store the signature, unconfirmed, and queue its confirmation e-mail.

    The same address a second time keeps the first signature as written (a stranger
    cannot change what someone else signed) and re-sends its confirmation at most once
    every ``RESEND_AFTER``; a confirmed one sends nothing.
    """
    if not petition.accepts_signatures:
        raise ValidationError(_("This petition no longer accepts signatures."))
    email = normalised_email(email)
    now = timezone.now()
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                postal_code=postal_code.strip(),
                comment=comment.strip(),
                show_name=show_name,
                language=(language or "fr")[:8],
                confirmation_sent_at=now,
            )
        signature_id = signature.pk
    except IntegrityError:  # signed already (or twice at the same moment)
        resend = Signature.objects.filter(
            petition=petition, email=email, confirmed_at__isnull=True, confirmation_sent_at__lt=now - RESEND_AFTER
        )
        signature_id = resend.values_list("pk", flat=True).first()
        if signature_id is None or not resend.filter(pk=signature_id).update(confirmation_sent_at=now):
            return
    transaction.on_commit(lambda: signature_confirmation_task.enqueue(signature_id))


@transaction.atomic
def signature_confirm(*, signature: Signature) -> bool:
    """Count a signature: True the first time, False after (a second click counts nothing)."""
    if not signature.petition.accepts_signatures:
        raise ValidationError(_("This petition no longer accepts signatures."))
    confirmed = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    if confirmed:
        Petition.objects.filter(pk=signature.petition_id).update(signature_count=F("signature_count") + 1)
    return bool(confirmed)


@transaction.atomic
def signature_withdraw(*, signature: Signature) -> bool:
    """Erase a signature at its owner's request; a confirmed one leaves the count."""
    row = Signature.objects.select_for_update().filter(pk=signature.pk).values("confirmed_at").first()
    if row is None:
        return False
    Signature.objects.filter(pk=signature.pk).delete()
    if row["confirmed_at"] is not None:
        Petition.objects.filter(pk=signature.petition_id, signature_count__gt=0).update(
            signature_count=F("signature_count") - 1
        )
    return True


def signatures_exported(*, petition: Petition, by, rows: int) -> None:
    """Record who took the list of signatories (personal data leaves the platform)."""
    audit_record(
        actor=by,
        action=AuditEntry.Action.EXPORT_PERSONAL,
        target=petition,
        detail={"what": "petition signatures", "rows": rows},
    )
