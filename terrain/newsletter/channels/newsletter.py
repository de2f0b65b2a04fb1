"""The structure's own e-mail newsletter, as a publication channel.

The account is "owned" (nothing to authorise): its ``remote_id`` is the
structure's code. Publishing sends the message (title as subject, text and
images) to the confirmed subscribers of the structure, through the delivery mail
backend, in batches over one connection each. ``NewsletterIssue.marker`` makes an
issue go out once; its progress (last subscriber sent) is saved after every
e-mail, so a retry after a crash resumes where it stopped and nobody gets it twice.

Opens are not tracked (no tracking pixel): the statistics count link clicks only.
"""

from __future__ import annotations

import smtplib
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from terrain.lib.codes import new_code
from terrain.lib.html import text_to_html
from terrain.networks.base import (
    AccountData,
    AccountInfo,
    AuthError,
    Connector,
    Content,
    Metrics,
    PermanentError,
    RateLimit,
    RemotePost,
    TransientError,
)
from terrain.newsletter.channels import NEWSLETTER
from terrain.newsletter.models import NewsletterIssue, Subscriber
from terrain.newsletter.services import delivery_connection, unsubscribe_url
from terrain.structures.models import Structure

BATCH_SIZE = 50


def _structure(account: AccountData):
    structure = Structure.objects.filter(code=account.remote_id).first() if account.remote_id else None
    if structure is None:
        raise AuthError(str(_("This newsletter's structure no longer exists.")))
    return structure


def _from_address(structure) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((structure.name, address))


def build_issue_email(*, structure, subscriber, content: Content, subject: str) -> EmailMultiAlternatives:
    """One subscriber's copy: their own unsubscribe link in the text and in the RFC 8058 headers."""
    unsubscribe = unsubscribe_url(subscriber)
    images = [(f"image{i}.{new_code()}@terrain", media) for i, media in enumerate(content.media)]
    context = {
        "structure": structure,
        "text": content.text,
        "html": text_to_html(content.text),
        "images": [{"cid": cid, "alt": media.alt} for cid, media in images],
        "unsubscribe_url": unsubscribe,
        "subject": subject,
    }
    with translation.override(subscriber.language):
        body = render_to_string("newsletter/email/issue.txt", context)
        html = render_to_string("newsletter/email/issue.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=_from_address(structure),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{structure.name} <{structure.code}.newsletter.terrain>",
        },
    )
    message.attach_alternative(html, "text/html")
    if images:
        message.mixed_subtype = "related"
        for cid, media in images:
            _maintype, _slash, subtype = media.mime_type.partition("/")
            part = MIMEImage(media.data, _subtype=subtype or "jpeg")
            part.add_header("Content-ID", f"<{cid}>")
            part.add_header("Content-Disposition", "inline", filename=media.filename)
            message.attach(part)
    return message


class NewsletterConnector(Connector):
    kind = NEWSLETTER
    label = _("Newsletter")
    position = 80
    max_chars = None  # an e-mail has no length limit (the composer's field has its own)
    max_media = 10
    auth_flow = "owned"
    rate_limit = RateLimit(calls=50, seconds=3600)

    def count_characters(self, text: str) -> int:
        return len(text)

    def validate_credentials(self, account: AccountData) -> AccountInfo:
        structure = _structure(account)
        return AccountInfo(
            remote_id=structure.code,
            handle=str(_("Newsletter of %(name)s") % {"name": structure.name}),
            display_name=structure.name,
            followers=self.fetch_followers(account),
        )

    def fetch_followers(self, account: AccountData) -> int | None:
        return Subscriber.objects.filter(structure__code=account.remote_id, status=Subscriber.Status.CONFIRMED).count()

    def publish(self, account: AccountData, content: Content) -> RemotePost:
        structure = _structure(account)
        subject = (content.title or content.text.strip().split("\n", 1)[0])[:200] or structure.name
        issue, _created = NewsletterIssue.objects.get_or_create(
            marker=content.marker or new_code(), defaults={"structure": structure, "subject": subject}
        )
        if issue.state == NewsletterIssue.State.SENT:
            return RemotePost(remote_id=issue.code)
        connection = delivery_connection()
        while True:
            batch = list(
                Subscriber.objects.filter(
                    structure=structure, status=Subscriber.Status.CONFIRMED, pk__gt=issue.last_subscriber_id
                ).order_by("pk")[:BATCH_SIZE]
            )
            if not batch:
                break
            try:
                connection.open()
                for subscriber in batch:
                    email = build_issue_email(
                        structure=structure, subscriber=subscriber, content=content, subject=subject
                    )
                    email.connection = connection
                    try:
                        sent = connection.send_messages([email])
                    except smtplib.SMTPRecipientsRefused:  # one bad address must not stop the others
                        sent = 0
                    # Progress after every e-mail: a crash re-sends nothing already sent.
                    NewsletterIssue.objects.filter(pk=issue.pk).update(
                        last_subscriber_id=subscriber.pk, recipients=F("recipients") + (sent or 0)
                    )
                    issue.last_subscriber_id = subscriber.pk
            except smtplib.SMTPSenderRefused as error:
                raise PermanentError(
                    str(_("The mail server refused the newsletter's sender: %(error)s") % {"error": error})
                ) from error
            except (smtplib.SMTPException, OSError) as error:
                raise TransientError(str(_("The mail server did not answer: %(error)s") % {"error": error})) from error
            finally:
                connection.close()
        NewsletterIssue.objects.filter(pk=issue.pk).update(state=NewsletterIssue.State.SENT, sent_at=timezone.now())
        return RemotePost(remote_id=issue.code)

    def find_published(self, account: AccountData, content: Content) -> RemotePost | None:
        issue = NewsletterIssue.objects.filter(marker=content.marker, state=NewsletterIssue.State.SENT).first()
        return RemotePost(remote_id=issue.code) if issue else None

    def delete(self, account: AccountData, remote_id: str) -> None:
        raise PermanentError(str(_("An e-mail already sent cannot be taken back.")))

    def fetch_metrics(self, account: AccountData, remote_id: str) -> Metrics:
        """Recipients only: opens are not tracked (no tracking pixel in Terrain's e-mails)."""
        issue = NewsletterIssue.objects.filter(code=remote_id).first()
        return Metrics(extra={"recipients": issue.recipients if issue else 0})
