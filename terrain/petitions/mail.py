"""The e-mail a signer receives: confirm the signature (double opt-in), or withdraw it later."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from terrain.petitions.models import Signature
from terrain.petitions.tokens import confirm_token, withdraw_token


def signature_links(signature: Signature, slug: str) -> dict[str, str]:
    petition = signature.petition
    return {
        "confirm": settings.SITE_URL
        + reverse("petitions_public:confirm", args=[slug, petition.code, confirm_token(signature)]),
        "withdraw": settings.SITE_URL
        + reverse("petitions_public:withdraw", args=[slug, petition.code, withdraw_token(signature)]),
        "petition": settings.SITE_URL + reverse("petitions_public:detail", args=[slug, petition.code]),
    }


def signature_confirmation_send(*, signature_id: int) -> bool:
    """Send the confirmation e-mail of one signature; False when there is nothing to send.

    Nothing goes out for a signature confirmed or purged meanwhile, nor for a petition
    whose site is closed (its links would lead nowhere). The message itself is queued
    by the project's mail backend (``terrain.core.mail``), sealed.
    """
    signature = (
        Signature.objects.select_related("petition__structure__site")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None:
        return False
    site = getattr(signature.petition.structure, "site", None)
    if site is None or not site.published:
        return False
    context = {
        "signature": signature,
        "petition": signature.petition,
        "structure": signature.petition.structure,
        "links": signature_links(signature, site.slug),
        "site_name": settings.SITE_NAME,
        "retention_days": settings.PETITION_RETENTION_DAYS,
    }
    with translation.override(signature.language):
        subject = " ".join(render_to_string("petitions/email/confirm_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("petitions/email/confirm.txt", context),
            to=[signature.email],
        )
        message.attach_alternative(render_to_string("petitions/email/confirm.html", context), "text/html")
    message.send()
    return True
