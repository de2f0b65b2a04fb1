"""The invitation e-mail: subject, text and HTML, queued by the project's mail backend."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def send_invitation(*, consultation, email: str, token: str) -> None:
    site = consultation.structure.site
    link = settings.SITE_URL + reverse("consultations_public:invited", args=[site.slug, consultation.code, token])
    context = {"consultation": consultation, "structure": consultation.structure, "link": link}
    subject = " ".join(render_to_string("consultations/email/invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("consultations/email/invitation.txt", context), to=[email]
    )
    message.attach_alternative(render_to_string("consultations/email/invitation.html", context), "text/html")
    message.send()
