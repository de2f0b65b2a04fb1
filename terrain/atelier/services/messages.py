"""Writing a message and taking it through approval: every write of the composer and the workflow.

The workflow: draft → submitted → approved (or changes requested, back to the
author) → scheduled → published or failed. Writers write and submit; approvers
and managers approve, ask for changes and schedule. When the strategy does not
require approval, an approver or a manager schedules a draft directly; a plain
writer always submits it.

Editing is autosave-safe: the composer sends the whole form every few seconds,
and an unchanged form changes nothing. A change made by someone who cannot
approve to an approved or scheduled message takes it off the calendar and sends
it back to draft: nobody publishes words nobody approved. An approver's change
keeps its approval (they approve what they write).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terrain.atelier.access import atelier_access
from terrain.atelier.message_selectors import account_label, excerpt, message_problems, message_url
from terrain.atelier.models import (
    ConnectedAccount,
    Message,
    MessageEvent,
    MessageImage,
    MessageVariant,
    Strategy,
)
from terrain.atelier.services.publishing import approval_required, message_leave_calendar, message_schedule
from terrain.atelier.workflows import (
    APPROVABLE,
    APPROVED_WORDS,
    CHANGES_REQUESTABLE,
    DELETABLE,
    EDITABLE,
    MESSAGE,
    SCHEDULABLE_UNAPPROVED,
    SUBMITTABLE,
    UNDER_WAY,
)
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create
from terrain.lib.html import plain_text
from terrain.lib.images import clean_image
from terrain.library.models import File
from terrain.library.services import file_share_check
from terrain.networks import registry

SUBMISSION_KEY_RE = re.compile(r"[A-Za-z0-9-]{8,40}")
#: Mastodon, Bluesky and X take at most four images: one message, the same images everywhere.
MAX_IMAGES = 4
# What may be edited, approved, deleted… (EDITABLE, APPROVABLE, DELETABLE, UNDER_WAY…) is derived
# from the workflows' tables in terrain/atelier/workflows.py, imported above for the views.
#: A schedule this far in the past is a mistake, not a slow form.
PAST_TOLERANCE = timedelta(minutes=2)


def _require_ready(message: Message) -> None:
    problems = message_problems(message)
    if problems:
        raise ValidationError(problems)


def _access(by, message: Message):
    return atelier_access(user=by, structure=message.structure)


def _require_write(by, structure) -> None:
    if not atelier_access(user=by, structure=structure).can_write:
        raise PermissionDenied


def _require_editable(message: Message) -> None:
    if message.status not in EDITABLE:
        raise ValidationError(_("This message can no longer be changed."), code="locked")
    if message.publications.filter(state__in=UNDER_WAY).exists():
        raise ValidationError(
            _("This message is already being published: it can no longer be changed."), code="under_way"
        )


def clean_submission_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if SUBMISSION_KEY_RE.fullmatch(value) else None


def _clean_variants(body: str, variants: Mapping[str, str] | None) -> dict[str, str]:
    """Only real variants: a known network, some text, and not a copy of the main text."""
    cleaned = {}
    known = set(registry.available_kinds())
    for network, text in (variants or {}).items():
        text = (text or "").strip()
        if network in known and text and text != body:
            cleaned[network] = text
    return cleaned


def _clean_accounts(structure, accounts: Iterable[ConnectedAccount]) -> list[ConnectedAccount]:
    accounts = list(accounts)
    for account in accounts:
        if account.structure_id != structure.pk or account.status == ConnectedAccount.Status.DISCONNECTED:
            raise ValidationError(_("This account cannot be used for this message."), code="account")
    return accounts


# --- Writing ------------------------------------------------------------------------


@transaction.atomic
def message_create(
    *,
    structure,
    author,
    submission_key: str | None = None,
    body: str = "",
    title: str = "",
    link: str = "",
    accounts: Iterable[ConnectedAccount] = (),
    variants: Mapping[str, str] | None = None,
    source_post=None,
) -> Message:
    """A new draft. The same ``submission_key`` (one per composer opened) finds the first draft again."""
    _require_write(author, structure)
    key = clean_submission_key(submission_key)
    if key and (existing := Message.objects.filter(author=author, submission_key=key).first()):
        return existing
    body = (body or "").strip()
    accounts = _clean_accounts(structure, accounts)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                structure=structure,
                author=author,
                title=(title or "").strip(),
                body=body,
                link=(link or "").strip(),
                source_post=source_post,
                submission_key=key,
            )
    except IntegrityError:  # the same composer, sent twice at the same moment
        return Message.objects.get(author=author, submission_key=key)
    message.accounts.set(accounts)
    MessageVariant.objects.bulk_create(
        MessageVariant(message=message, network=network, body=text)
        for network, text in _clean_variants(body, variants).items()
    )
    return message


@transaction.atomic
def message_update(
    *,
    message: Message,
    by,
    body: str,
    title: str = "",
    link: str = "",
    accounts: Iterable[ConnectedAccount] = (),
    variants: Mapping[str, str] | None = None,
) -> Message:
    """Save what the composer holds; an unchanged form writes nothing (autosave sends it often).

    A real change by someone who cannot approve sends an approved or scheduled
    message back to draft (and off the calendar).
    """
    message = Message.objects.select_for_update().select_related("structure").get(pk=message.pk)
    _require_write(by, message.structure)
    _require_editable(message)
    body = (body or "").strip()
    title = (title or "").strip()
    link = (link or "").strip()
    accounts = _clean_accounts(message.structure, accounts)
    new_variants = _clean_variants(body, variants)
    old_variants = {v.network: v.body for v in message.variants.all()}
    old_accounts = set(message.accounts.values_list("pk", flat=True))
    new_accounts = {a.pk for a in accounts}
    fields_changed = (message.body, message.title, message.link) != (body, title, link)
    if not fields_changed and new_variants == old_variants and new_accounts == old_accounts:
        return message
    if fields_changed:
        message.body, message.title, message.link = body, title, link
        message.save(update_fields=["body", "title", "link", "updated_at"])
    else:
        Message.objects.filter(pk=message.pk).update(updated_at=timezone.now())
    if new_variants != old_variants:
        MessageVariant.objects.filter(message=message).exclude(network__in=list(new_variants)).delete()
        for network, text in new_variants.items():
            if old_variants.get(network) != text:
                MessageVariant.objects.update_or_create(message=message, network=network, defaults={"body": text})
    if new_accounts != old_accounts:
        message.accounts.set(accounts)
    kept = _after_content_change(message, by)
    if kept and message.status == Message.Status.SCHEDULED and new_accounts != old_accounts:
        # The approver changed where it goes: the calendar follows.
        message_schedule(message=message, at=message.scheduled_at, by=by)
    message.refresh_from_db()
    return message


def _after_content_change(message: Message, by) -> bool:
    """Apply the rule on approved words; True when the message keeps its status."""
    if message.status not in APPROVED_WORDS:
        return True
    if _access(by, message).can_approve:
        return True
    message_leave_calendar(message=message, transition="reopen", by=by, approved_by=None, approved_at=None)
    return False


@transaction.atomic
def message_image_add(*, message: Message, by, file, alt_text: str = "") -> MessageImage:
    """Attach an image (checked and re-encoded without metadata). The description may come later."""
    message = Message.objects.select_for_update().select_related("structure").get(pk=message.pk)
    _require_write(by, message.structure)
    _require_editable(message)
    if message.images.count() >= MAX_IMAGES:
        raise ValidationError(_("A message can carry at most %(max)s images.") % {"max": MAX_IMAGES}, code="too_many")
    cleaned = clean_image(file)
    last = message.images.order_by("-position").values_list("position", flat=True).first()
    image = MessageImage(message=message, alt_text=(alt_text or "").strip()[:1000], position=(last or 0) + 1)
    image.image.save(f"i.{cleaned.extension}", cleaned.content, save=False)
    # Read back from the consumed upload, the size would be lost: use the one measured.
    image.width, image.height = cleaned.width, cleaned.height
    image.save()
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now())
    _after_content_change(message, by)
    return image


@transaction.atomic
def message_image_set_alt(*, image: MessageImage, by, alt_text: str) -> MessageImage:
    alt_text = (alt_text or "").strip()[:1000]
    if alt_text == image.alt_text:
        return image
    message = Message.objects.select_for_update().select_related("structure").get(pk=image.message_id)
    _require_write(by, message.structure)
    _require_editable(message)
    image.alt_text = alt_text
    image.save(update_fields=["alt_text"])
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now())
    _after_content_change(message, by)
    return image


@transaction.atomic
def message_image_remove(*, image: MessageImage, by) -> None:
    message = Message.objects.select_for_update().select_related("structure").get(pk=image.message_id)
    _require_write(by, message.structure)
    _require_editable(message)
    storage, name = image.image.storage, image.image.name
    image.delete()
    transaction.on_commit(lambda: storage.delete(name))
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now())
    _after_content_change(message, by)


def can_delete(*, message: Message, user, access) -> bool:
    """Whether the message page offers "Delete" (with its publications prefetched, as the page has them)."""
    if message.status not in DELETABLE or any(p.state in UNDER_WAY for p in message.publications.all()):
        return False
    return message.author_id == user.pk or access.can_manage


@transaction.atomic
def message_delete(*, message: Message, by) -> None:
    """Delete a message that has not gone out, with its images and conversation. Its author or a manager may.

    A scheduled message is taken off the calendar first; one with a publication out or
    on its way is kept (its history is the record of what was published).
    """
    message = Message.objects.select_for_update().select_related("structure").get(pk=message.pk)
    if message.status == Message.Status.SCHEDULED:
        raise ValidationError(_("Take the message off the calendar before deleting it."), code="scheduled")
    if message.status not in DELETABLE or message.publications.filter(state__in=UNDER_WAY).exists():
        raise ValidationError(_("A message that has gone out cannot be deleted."), code="out")
    if message.author_id != by.pk and not _access(by, message).can_manage:
        raise PermissionDenied
    files = [(i.image.storage, i.image.name) for i in message.images.all()]
    message.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def message_from_post(*, post, structure, by) -> Message:
    """ "Share outside": a draft made of a cooperative news post, its text and its described images.

    Sharing the same post again before the draft went anywhere finds that draft.
    """
    _require_write(by, structure)
    existing = Message.objects.filter(
        structure=structure, author=by, source_post=post, status=Message.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    message = Message.objects.create(
        structure=structure, author=by, source_post=post, body=plain_text(post.body_html)[:10000]
    )
    for position, picture in enumerate(post.images.all()[:MAX_IMAGES], start=1):
        copy = MessageImage(
            message=message,
            alt_text=picture.alt_text,
            position=position,
            width=picture.width,
            height=picture.height,
        )
        with picture.image.open("rb") as handle:
            copy.image.save(f"i.{picture.image.name.rsplit('.', 1)[-1]}", handle, save=False)
        copy.width, copy.height = picture.width, picture.height
        copy.save()
    return message


#: A camera's name for a photo ("IMG_2041", "DSC00012", "PXL_20260308_101500") describes nothing.
_CAMERA_NAME_RE = re.compile(r"(?i)(img|dsc[nf]?|pxl|dcim|p|photo|image|capture)?[\W_]*[\d\W_]*")


def _alt_from_file(file) -> str:
    """A first description of a library photo from what the library knows (its name, its place).

    Empty when the name is a camera's: the composer then asks for a description, which no
    network gets the message without."""
    stem = file.name.rsplit(".", 1)[0] if "." in file.name else file.name
    if _CAMERA_NAME_RE.fullmatch(stem):
        return ""
    alt = re.sub(r"[_\s]+", " ", stem).strip()
    if file.place and file.place.casefold() not in alt.casefold():
        alt = f"{alt}, {file.place}"
    return alt[:1000]


@transaction.atomic
def message_from_library_file(*, file, structure, by) -> Message:
    """A library photo sent to the workshop: a draft carrying the image, its credit in the text.

    Refused (``ValidationError``) while people can be identified on the photo without
    their consent: the library's own rule (``file_share_check``). Sending the same photo
    again before the draft went anywhere finds that draft.
    """
    _require_write(by, structure)
    if file.kind != File.Kind.IMAGE or file.deleted_at is not None or file.current_version is None:
        raise ValidationError(_("Only a photo of the library can be sent to the workshop."), code="not_photo")
    file_share_check(file=file, outside=True)
    existing = Message.objects.filter(
        structure=structure, author=by, status=Message.Status.DRAFT, images__source_file=file
    ).first()
    if existing is not None:
        return existing
    with file.current_version.blob.open("rb") as handle:
        cleaned = clean_image(handle)
    body = _("Photo: %(credit)s") % {"credit": file.credit} if file.credit else ""
    message = Message.objects.create(structure=structure, author=by, body=body)
    image = MessageImage(message=message, alt_text=_alt_from_file(file), position=1, source_file=file)
    image.image.save(f"i.{cleaned.extension}", cleaned.content, save=False)
    image.width, image.height = cleaned.width, cleaned.height
    image.save()
    return message


# --- Workflow -----------------------------------------------------------------------


def _approvers(structure) -> list:
    """Who hears a message awaits approval: the approvers named in the strategy, and the
    structure's own officials (officials of the structures above are not disturbed)."""
    from terrain.accounts.models import User

    strategy = Strategy.objects.filter(structure=structure).first()
    named = strategy.approvers.filter(is_active=True) if strategy else User.objects.none()
    officials = User.objects.filter(is_active=True, mandates__structure=structure)
    return list((named | officials).distinct())


def _participants(message: Message) -> list:
    from terrain.accounts.models import User

    actor_ids = set(message.events.exclude(actor=None).values_list("actor_id", flat=True))
    actor_ids |= {pk for pk in (message.author_id, message.approved_by_id) if pk}
    return list(User.objects.filter(pk__in=actor_ids, is_active=True))


def _tell(*, users: Sequence, reason: str, message: Message, by, text: str = "") -> None:
    """Notify in the app and by e-mail (after commit), never the person who acted."""
    users = [u for u in {u.pk: u for u in users}.values() if u.pk != by.pk]
    if not users:
        return
    notifications_create(
        users=users, reason=reason, actor=by, summary=excerpt(message), target_url=message_url(message)
    )
    context = {
        "kind": reason,
        "message": message,
        "structure": message.structure,
        "actor": by,
        "excerpt": excerpt(message, 300),
        "text": text,
        "link": settings.SITE_URL + message_url(message),
        "site_name": getattr(settings, "SITE_NAME", "Terrain"),
    }

    def send() -> None:
        from terrain.accounts.services import email_send

        for user in users:
            if not user.email:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                email_send(template="atelier/compose/email/message_workflow", context=context, to=[user.email])

    transaction.on_commit(send)


def _locked(message: Message) -> Message:
    return Message.objects.select_for_update().select_related("structure").get(pk=message.pk)


@transaction.atomic
def message_submit(*, message: Message, by) -> Message:
    """The author (or another writer) asks for approval; approvers hear of it."""
    message = _locked(message)
    _require_write(by, message.structure)
    if message.status not in SUBMITTABLE:
        raise ValidationError(_("Only a draft can be submitted for approval."), code="status")
    _require_ready(message)
    MESSAGE.move_one(message, "submit")
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.SUBMITTED)
    _tell(users=_approvers(message.structure), reason=Notification.Reason.MESSAGE_SUBMITTED, message=message, by=by)
    return message


@transaction.atomic
def message_approve(*, message: Message, by) -> Message:
    """An approver approves (their own draft too: they need not ask themselves)."""
    message = _locked(message)
    if not _access(by, message).can_approve:
        raise PermissionDenied
    if message.status not in APPROVABLE:
        raise ValidationError(_("This message is not waiting for approval."), code="status")
    _require_ready(message)
    MESSAGE.move_one(message, "approve", approved_by=by, approved_at=timezone.now())
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.APPROVED)
    author = [message.author] if message.author else []
    _tell(users=author, reason=Notification.Reason.MESSAGE_APPROVED, message=message, by=by)
    return message


@transaction.atomic
def message_request_changes(*, message: Message, by, text: str) -> Message:
    """An approver sends the message back to its author, saying what to change."""
    message = _locked(message)
    if not _access(by, message).can_approve:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what should change."), code="empty")
    if message.status not in CHANGES_REQUESTABLE:
        raise ValidationError(_("This message is not waiting for approval."), code="status")
    _require_editable(message)
    message_leave_calendar(message=message, transition="request_changes", by=by, approved_by=None, approved_at=None)
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.CHANGES_REQUESTED, text=text[:4000])
    author = [message.author] if message.author else []
    _tell(users=author, reason=Notification.Reason.CHANGES_REQUESTED, message=message, by=by, text=text)
    return message


@transaction.atomic
def message_comment(*, message: Message, by, text: str) -> MessageEvent:
    """A comment in the message's conversation; everyone who took part hears of it."""
    _require_write(by, message.structure)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your comment."), code="empty")
    event = MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.COMMENT, text=text[:4000])
    _tell(users=_participants(message), reason=Notification.Reason.MESSAGE_COMMENTED, message=message, by=by, text=text)
    return event


def can_schedule(*, message: Message, access) -> bool:
    """May this person put the message on the calendar now? (The composer shows the buttons.)"""
    if not access.can_approve:
        return False
    if message.status in APPROVED_WORDS:
        return True
    return message.status in SCHEDULABLE_UNAPPROVED and not approval_required(message.structure)


@transaction.atomic
def accounts_to_reconnect(message: Message) -> list[ConnectedAccount]:
    """The message's accounts whose connection broke: nothing goes out on them until reconnected."""
    return [a for a in message.accounts.all() if a.status == ConnectedAccount.Status.BROKEN]


def message_plan_publication(*, message: Message, by, at: datetime | None = None) -> Message:
    """Schedule at ``at`` (aware), or publish now when ``at`` is None, after the checks.

    An approver or a manager may; a draft goes straight to the calendar only when
    the strategy does not require approval.
    """
    message = _locked(message)
    if not can_schedule(message=message, access=_access(by, message)):
        if not _access(by, message).can_approve:
            raise PermissionDenied
        raise ValidationError(_("Approve the message before scheduling it."), code="not_approved")
    _require_ready(message)
    if at is not None and at < timezone.now() - PAST_TOLERANCE:
        raise ValidationError(_("This time is already past: choose a later one, or publish now."), code="past")
    # Submitted, when no approval is needed: the approver's scheduling is the approval.
    if at is None:
        from terrain.atelier.services.publishing import message_publish_now

        if broken := accounts_to_reconnect(message):
            # Sent now, it would fail on them at once: say which and what to do instead.
            raise ValidationError(
                ngettext(
                    "%(accounts)s must be reconnected before anything is published on it: a manager of the "
                    "structure reconnects it on the “Accounts” page. To publish now on the other accounts, untick it.",
                    "%(accounts)s must be reconnected before anything is published on them: a manager of the "
                    "structure reconnects them on the “Accounts” page. To publish now on the other accounts, "
                    "untick them.",
                    len(broken),
                )
                % {"accounts": ", ".join(account_label(a) for a in broken)},
                code="account_broken",
            )

        return message_publish_now(message=message, by=by)
    return message_schedule(message=message, at=at, by=by)
