"""Writes of the elections kit: keyword-only, each in one transaction."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from terrain.elections import steps as step_table
from terrain.elections.models import Candidate, College, Election, ElectionTract, Step, StepReminder
from terrain.elections.workflow import can_move
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create_many
from terrain.structures.models import Official

EDITABLE = ("title", "employer", "vote_date", "second_round_date", "mode", "how_to_vote", "show_names", "reminder_days")


def _clean_reminder_days(value: str) -> str:
    parts = [part.strip() for part in (value or "").split(",") if part.strip()]
    if not parts or not all(part.isdigit() and 0 < int(part) <= 120 for part in parts):
        raise ValidationError(
            {"reminder_days": _("Write numbers of days between 1 and 120 separated by commas, e.g. 7,1.")}
        )
    return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))


def _check_dates(vote_date: date, second_round_date: date | None) -> None:
    if second_round_date and second_round_date <= vote_date:
        raise ValidationError({"second_round_date": _("The second round comes after the first.")})


@transaction.atomic
def election_create(*, structure, by, title: str, employer: str, vote_date: date, **fields) -> Election:
    """A draft election with the usual steps placed from its vote date."""
    fields["reminder_days"] = _clean_reminder_days(fields.get("reminder_days", "7,1"))
    _check_dates(vote_date, fields.get("second_round_date"))
    election = Election.objects.create(
        structure=structure,
        created_by=by,
        title=title.strip(),
        employer=employer.strip(),
        vote_date=vote_date,
        **{key: value for key, value in fields.items() if key in EDITABLE},
    )
    Step.objects.bulk_create(
        Step(election=election, kind=kind.key, label=str(kind.label), due_date=day)
        for kind, day in step_table.step_dates(vote_date, election.second_round_date)
    )
    return election


@transaction.atomic
def election_update(*, election: Election, by, **fields) -> Election:
    if "reminder_days" in fields:
        fields["reminder_days"] = _clean_reminder_days(fields["reminder_days"])
    _check_dates(
        fields.get("vote_date", election.vote_date), fields.get("second_round_date", election.second_round_date)
    )
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(election, key, value.strip() if isinstance(value, str) and key != "how_to_vote" else value)
    election.save()
    return election


@transaction.atomic
def election_steps_replan(*, election: Election, by) -> int:
    """Place again, from the vote dates, the usual steps not done yet; returns how many moved."""
    dates = {kind.key: day for kind, day in step_table.step_dates(election.vote_date, election.second_round_date)}
    moved = 0
    for step in election.steps.filter(done=False, kind__in=list(dates)):
        if step.due_date != dates[step.kind]:
            step.due_date = dates[step.kind]
            step.save(update_fields=["due_date"])
            moved += 1
    return moved


@transaction.atomic
def election_move(*, election: Election, status: str, by) -> Election:
    if not can_move(election.status, status):
        raise ValidationError(
            _("This election cannot go from “%(current)s” to “%(target)s”.")
            % {
                "current": election.get_status_display(),
                "target": Election.Status(status).label,
            }
        )
    election.status = status
    if status == Election.Status.PUBLISHED and election.published_at is None:
        election.published_at = timezone.now()
    election.save(update_fields=["status", "published_at", "updated_at"])
    return election


@transaction.atomic
def step_update(*, step: Step, by, due_date: date, done: bool, label: str | None = None) -> Step:
    step.due_date = due_date
    step.done = done
    if label:
        step.label = label.strip()[:200]
    step.save()
    return step


@transaction.atomic
def college_save(
    *,
    election: Election,
    by,
    name: str,
    seats: int,
    electorate_women: int,
    electorate_men: int,
    college: College | None = None,
) -> College:
    if seats < 1:
        raise ValidationError({"seats": _("A college has at least one seat to fill.")})
    if college is None:
        college = College(election=election, position=election.colleges.count())
    college.name = name.strip()
    college.seats = seats
    college.electorate_women = electorate_women
    college.electorate_men = electorate_men
    college.save()
    return college


@transaction.atomic
def college_remove(*, college: College, by) -> None:
    college.delete()


@transaction.atomic
def candidates_replace(*, college: College, by, candidates: list[dict]) -> list[Candidate]:
    """The college's list, from the top: each item has ``name``, ``gender`` ("F"/"M") and ``job``."""
    college.candidates.all().delete()
    return Candidate.objects.bulk_create(
        Candidate(
            college=college,
            position=index,
            name=item["name"].strip(),
            gender=item["gender"],
            job=(item.get("job") or "").strip(),
        )
        for index, item in enumerate(candidates)
    )


@transaction.atomic
def election_tracts_set(*, election: Election, by, tracts: list) -> None:
    """The campaign's tracts: exactly ``tracts`` (already read through the tractothèque's selector)."""
    election.tract_links.exclude(tract__in=tracts).delete()
    ElectionTract.objects.bulk_create(
        [ElectionTract(election=election, tract=tract) for tract in tracts], ignore_conflicts=True
    )


# --- Reminders -----------------------------------------------------------------------------


def _summary(step: Step, days: int) -> str:
    election = step.election
    when = formats.date_format(step.due_date, "l j F")
    if days == 0:
        text = _("%(election)s: today, %(step)s.") % {"election": election.title, "step": step.label}
    else:
        text = (
            _("%(election)s: %(step)s in %(days)d days (%(when)s).")
            % {
                "election": election.title,
                "step": step.label,
                "days": days,
                "when": when,
            }
            if days > 1
            else _("%(election)s: %(step)s tomorrow (%(when)s).")
            % {
                "election": election.title,
                "step": step.label,
                "when": when,
            }
        )
    kind = step_table.KINDS.get(step.kind)
    if days == 1 and kind is not None and kind.is_vote:
        text += " " + _("Prepare the voting-day message for the relays from the election's page.")
    return text


def _due_reminders(today: date) -> list[tuple[Step, int]]:
    due = []
    steps = Step.objects.filter(
        done=False,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=120),
        election__status__in=[Election.Status.DRAFT, Election.Status.PUBLISHED],
    ).select_related("election", "election__structure")
    for step in steps:
        days_left = (step.due_date - today).days
        delays = set(step.election.days_before)
        kind = step_table.KINDS.get(step.kind)
        if kind is not None and kind.is_vote:
            delays.add(0)
        if days_left in delays:
            due.append((step, days_left))
    return due


def _officials(election: Election) -> list:
    users = {
        official.user_id: official.user
        for official in Official.objects.filter(structure=election.structure, user__is_active=True).select_related(
            "user"
        )
    }
    return list(users.values())


def _email(*, election: Election, url: str, mails: list) -> None:
    from terrain.accounts.services import email_send

    for user, summary in mails:
        context = {"election": election, "summary": summary, "link": settings.SITE_URL + url}
        with override(user.language or settings.LANGUAGE_CODE):
            email_send(template="elections/email/step_reminder", context=context, to=[user.email])


def election_reminders_send(*, today: date | None = None) -> int:
    """Tell the officials of each election's structure about the steps near: once per step and delay.

    Each reminder is claimed by inserting its ``StepReminder`` row (unique per step and
    delay) in the transaction that creates the notifications: a second run, or two
    workers at once, send nothing more.
    """
    today = today or timezone.localdate()
    sent = 0
    for step, days in _due_reminders(today):
        election = step.election
        try:
            with transaction.atomic():
                StepReminder.objects.create(step=step, days_before=days)
                url = reverse("elections:detail", args=[election.code])
                items = []
                mails = []
                for user in _officials(election):
                    with override(user.language):  # each official reads it in their own language
                        summary = _summary(step, days)
                    items.append(
                        (user, {"reason": Notification.Reason.ELECTION_STEP, "summary": summary, "target_url": url})
                    )
                    if user.email and user.email_notifications:
                        mails.append((user, summary))
                notifications_create_many(items)
                if mails:
                    transaction.on_commit(partial(_email, election=election, url=url, mails=mails))
        except IntegrityError:
            continue  # already sent
        sent += 1
    return sent
