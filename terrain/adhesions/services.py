"""Writes on join requests: receiving them, following them up, erasing them.

Every function is keyword-only and atomic; e-mails leave on commit (the queued mail
backend then hands them to the worker), in-app notifications are rows written with
the change.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terrain.adhesions.models import Event, JoinRequest, Status
from terrain.adhesions.workflow import IMPLIES, OPEN, allowed
from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create, notifications_create_many
from terrain.public.models import Site
from terrain.structures.models import Official, Structure

# What the visitor typed that the request keeps (and erasure blanks).
PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "employer",
    "workplace_postal_code",
    "job",
    "message",
)
# Robots' requests (honeypot) are kept this long, to see a flood, then deleted.
SPAM_KEPT = timedelta(days=7)


def route_join_request(*, site: Site | None = None, workplace_postal_code: str = "") -> Site:
    """The site (and so the structure) a join request goes to.

    The site the visitor chose (a site's own form, or the instance-wide form's list); when
    they chose "the nearest to my workplace", the published site nearest the town of the
    workplace's postal code (``terrain.places``). ``ValidationError`` on the postal code
    when it names no town, or when no site can be placed.
    """
    if site is not None:
        return site
    from terrain.places.geocode import PlaceNotFound, locate
    from terrain.places.selectors import nearest_sites

    try:
        point = locate(postal_code=workplace_postal_code)
    except PlaceNotFound as error:
        raise ValidationError({"workplace_postal_code": error.message}) from error
    found = nearest_sites(latitude=point[0], longitude=point[1], limit=1) if point else []
    if not found:
        raise ValidationError(
            {"workplace_postal_code": _("We could not find a union near this postal code: choose one in the list.")}
        )
    return found[0][0]


def officials_of(structure: Structure) -> list:
    """The people who handle ``structure``'s requests: its officials (and those above, when allowed)."""
    ids = [structure.pk]
    if settings.ADHESION_VISIBLE_TO_PARENTS:
        ids += structure.ancestor_ids()
    officials = Official.objects.filter(structure_id__in=ids, user__is_active=True).select_related("user")
    return list({official.user_id: official.user for official in officials}.values())


def _pipeline_path(join_request: JoinRequest) -> str:
    return reverse("adhesions:detail", args=[join_request.code])


def _email_officials(mails: list[tuple[Any, str, JoinRequest]]) -> None:
    """E-mail each ``(user, kind, request)`` on commit, to those who want e-mails (``email_notifications``).

    The e-mail names the structure and links to the request, never the visitor: their
    details stay behind the sign-in.
    """
    mails = [(user, kind, request) for user, kind, request in mails if user.email and user.email_notifications]
    if not mails:
        return

    def send() -> None:
        from terrain.accounts.services import email_send

        for user, kind, request in mails:
            context = {
                "kind": kind,
                "structure": request.structure,
                "status": request.get_status_display(),
                "link": settings.SITE_URL + _pipeline_path(request),
            }
            with translation.override(user.language or settings.LANGUAGE_CODE):
                email_send(template="adhesions/email/notice", context=context, to=[user.email])

    transaction.on_commit(send)


def _send_confirmation(join_request: JoinRequest) -> None:
    site_url = (
        settings.SITE_URL + reverse("public:home", args=[join_request.site.slug])
        if join_request.site_id and join_request.site.published
        else ""
    )
    context = {
        "join_request": join_request,
        "structure": join_request.structure,
        "site_url": site_url,
        "site_name": settings.SITE_NAME,
        "retention_days": settings.ADHESION_RETENTION_DAYS,
        "contact_email": join_request.site.email if join_request.site_id else "",
    }
    with translation.override(join_request.language):
        subject = " ".join(render_to_string("adhesions/email/received_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("adhesions/email/received.txt", context),
            to=[join_request.email],
        )
        message.attach_alternative(render_to_string("adhesions/email/received.html", context), "text/html")
    message.send()


@transaction.atomic
def join_request_submit(
    *, site: Site | None, values: dict[str, Any], language: str = "fr", spam: bool = False
) -> JoinRequest:
    """Store a request sent from a public form and route it (``site`` None: to the nearest).

    A real one is confirmed to the visitor by e-mail and announced to the officials; a
    robot's (``spam``: the honeypot was filled) is only kept, hidden, to be purged.
    """
    now = timezone.now()
    site = route_join_request(site=site, workplace_postal_code=values.get("workplace_postal_code", ""))
    structure = site.structure
    join_request = JoinRequest(
        structure=structure,
        site=site,
        language=(language or "fr")[:8],
        is_spam=spam,
        consent_at=now,
        last_activity_at=now,
        preferred_contact=values.get("preferred_contact") or "email",
        **{name: (values.get(name) or "").strip() for name in PERSONAL_FIELDS},
    )
    join_request.full_clean(exclude=["structure", "site", "last_activity_at"])
    join_request.save()
    if spam:
        return join_request
    Event.objects.create(join_request=join_request, kind=Event.Kind.RECEIVED, to_status=Status.NEW)
    officials = officials_of(structure)
    _email_officials([(user, "new", join_request) for user in officials])
    notifications_create(
        users=officials,
        reason=Notification.Reason.ADHESION_NEW,
        summary=_("%(name)s asks to join %(structure)s")
        % {"name": join_request.full_name, "structure": structure.name},
        target_url=_pipeline_path(join_request),
    )
    transaction.on_commit(lambda: _send_confirmation(join_request))
    return join_request


def _touch(join_request: JoinRequest, now: datetime, *fields: str) -> None:
    join_request.last_activity_at = now
    join_request.save(update_fields=[*fields, "last_activity_at", "updated_at"])


def _refuse_if_erased(join_request: JoinRequest) -> None:
    if join_request.erased_at:
        raise ValidationError(_("This request was erased: it can no longer change."))


@transaction.atomic
def join_request_set_status(*, join_request: JoinRequest, status: str, by) -> JoinRequest:
    """Move a request along the pipeline (``workflow.TRANSITIONS``), recorded with its date and author."""
    _refuse_if_erased(join_request)
    if status not in Status.values or not allowed(join_request.status, status):
        raise ValidationError(_("A request cannot go from this step to that one."))
    now = timezone.now()
    previous = join_request.status
    join_request.status = status
    changed = ["status"]
    for field in IMPLIES.get(status, ()):
        if getattr(join_request, field) is None:
            setattr(join_request, field, now)
            changed.append(field)
    _touch(join_request, now, *changed)
    Event.objects.create(
        join_request=join_request, kind=Event.Kind.STATUS, author=by, from_status=previous, to_status=status
    )
    return join_request


@transaction.atomic
def join_request_assign(*, join_request: JoinRequest, assignee, by) -> JoinRequest:
    """Give the request to one of the people who handle it (or to nobody: ``assignee=None``)."""
    _refuse_if_erased(join_request)
    if assignee is not None and assignee.pk not in {u.pk for u in officials_of(join_request.structure)}:
        raise ValidationError(_("Choose one of the structure's officials."))
    join_request.assignee = assignee
    _touch(join_request, timezone.now(), "assignee")
    Event.objects.create(
        join_request=join_request,
        kind=Event.Kind.ASSIGNED,
        author=by,
        text=assignee.display_name if assignee else "",
    )
    if assignee is not None:
        if assignee.pk != getattr(by, "pk", None):
            _email_officials([(assignee, "assigned", join_request)])
        notifications_create(
            users=[assignee],
            actor=by,
            reason=Notification.Reason.ADHESION_WAITING,
            summary=_("You follow up the join request of %(name)s") % {"name": join_request.full_name},
            target_url=_pipeline_path(join_request),
        )
    return join_request


@transaction.atomic
def join_request_note(*, join_request: JoinRequest, text: str, by) -> Event:
    """Add a note (a call made, what was said): dated and signed."""
    _refuse_if_erased(join_request)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > 3000:
        raise ValidationError({"text": _("A note holds 3,000 characters at most.")})
    _touch(join_request, timezone.now())
    return Event.objects.create(join_request=join_request, kind=Event.Kind.NOTE, author=by, text=text)


@transaction.atomic
def join_request_remind_me(*, join_request: JoinRequest, when: datetime | None, by) -> JoinRequest:
    """Ask to be told about the request at ``when`` (None cancels)."""
    _refuse_if_erased(join_request)
    join_request.remind_at = when
    join_request.remind_user = by if when else None
    join_request.save(update_fields=["remind_at", "remind_user", "updated_at"])
    return join_request


def _erase(join_request: JoinRequest, now: datetime) -> None:
    for name in PERSONAL_FIELDS:
        setattr(join_request, name, "")
    join_request.erased_at = now
    join_request.remind_at = None
    join_request.remind_user = None
    join_request.save(update_fields=[*PERSONAL_FIELDS, "erased_at", "remind_at", "remind_user", "updated_at"])
    join_request.events.filter(kind__in=[Event.Kind.NOTE, Event.Kind.ASSIGNED]).delete()


@transaction.atomic
def join_request_erase(*, join_request: JoinRequest, by) -> JoinRequest:
    """Erase the visitor's details and the notes (at their request); an anonymous row stays for the figures."""
    if join_request.erased_at:
        return join_request
    now = timezone.now()
    _erase(join_request, now)
    Event.objects.create(join_request=join_request, kind=Event.Kind.ERASED, author=by)
    audit_record(
        actor=by,
        action=AuditEntry.Action.REMOVE_MEMBER,
        target=join_request.structure,
        detail={"join_request": join_request.code, "what": "erased"},
    )
    return join_request


def join_requests_viewed(*, structure: Structure, by, what: str, count: int) -> None:
    """An official opened (``list``) or exported (``export``) a structure's join requests: the audit trail says so."""
    audit_record(
        actor=by,
        action=AuditEntry.Action.VIEW_MEMBERS,
        target=structure,
        detail={"list": "join_requests", "what": what, "count": count},
    )


def join_requests_purge(*, now: datetime | None = None) -> int:
    """Erase what the retention period has passed; delete the robots' requests. Returns how many.

    Harmless if it runs twice (an erased request is skipped).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ADHESION_RETENTION_DAYS)
    done = 0
    expired = JoinRequest.objects.filter(is_spam=False, erased_at__isnull=True, created_at__lt=cutoff)
    for join_request in expired.iterator():
        with transaction.atomic():
            _erase(join_request, now)
            Event.objects.create(join_request=join_request, kind=Event.Kind.ERASED)
        done += 1
    done += (
        JoinRequest.objects.filter(is_spam=True, created_at__lt=now - SPAM_KEPT)
        .delete()[1]
        .get(JoinRequest._meta.label, 0)
    )
    return done


def join_requests_remind(*, now: datetime | None = None) -> int:
    """Tell the assignee (or the officials) about each request waiting too long; returns how many requests.

    A request waits when it sat ``ADHESION_REMINDER_DAYS`` in an open status with no
    change nor note. It is reminded once per waiting period: the reminder's date counts
    as the start of the next period, and each row is claimed by a conditional UPDATE, so
    two runs at once never remind twice. "Remind me on" dates are told once, then cleared.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ADHESION_REMINDER_DAYS)
    waiting = (
        JoinRequest.objects.filter(is_spam=False, erased_at__isnull=True, status__in=OPEN, last_activity_at__lte=cutoff)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
        .select_related("structure", "assignee")
    )
    notices: list[tuple[Any, dict]] = []
    mails: list[tuple[Any, str, JoinRequest]] = []
    reminded = 0
    for join_request in waiting[:1000]:
        claimed = (
            JoinRequest.objects.filter(pk=join_request.pk, last_activity_at__lte=cutoff)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
            .update(reminded_at=now)
        )
        if not claimed:
            continue
        reminded += 1
        since = max(join_request.last_activity_at, join_request.reminded_at or join_request.last_activity_at)
        days = (now - since).days
        summary = _("The join request of %(name)s has been waiting for %(days)d days (%(status)s)") % {
            "name": join_request.full_name,
            "days": days,
            "status": join_request.get_status_display(),
        }
        people = [join_request.assignee] if join_request.assignee_id else officials_of(join_request.structure)
        fields = {
            "reason": Notification.Reason.ADHESION_WAITING,
            "summary": summary,
            "target_url": _pipeline_path(join_request),
        }
        notices += [(person, fields) for person in people]
        mails += [(person, "waiting", join_request) for person in people]
    due = JoinRequest.objects.filter(remind_at__lte=now, remind_user__isnull=False).select_related(
        "remind_user", "structure"
    )
    for join_request in due[:1000]:
        if not JoinRequest.objects.filter(pk=join_request.pk, remind_at__lte=now).update(remind_at=None):
            continue
        notices.append(
            (
                join_request.remind_user,
                {
                    "reason": Notification.Reason.ADHESION_WAITING,
                    "summary": _("Reminder: the join request of %(name)s") % {"name": join_request.full_name},
                    "target_url": _pipeline_path(join_request),
                },
            )
        )
        mails.append((join_request.remind_user, "remind", join_request))
        reminded += 1
    notifications_create_many(notices)
    _email_officials(mails)
    return reminded
